import { ClassifiedEventV1 } from '@vigil/contracts';
import { parsePantherRules } from '@vigil/rules';
import { acceptedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { classifierService } from '../src/service';
import { ErrorBody, httpClient, HttpClient, metricValue } from './http-client';
import { acceptedStreamDrained, classifiedById, publishAccepted } from './pipeline';

const RULES_V1 = `# Disks belong to the storage team.
globals:
  rules:
    - name: disk full
      match: { summary: '/disk (\\d+)% full/' }
      category: os
      team: storage
      impact: high
`;

const RULES_V2 = `globals:
  rules:
    - name: disk full
      match: { summary: '/disk (\\d+)% full/' }
      category: hardware
      team: platform
      impact: high
    - name: heartbeats
      equals: { type: Heartbeat }
      discard: true
`;

const INVALID = `globals:
  rules:
    - name: broken
      match: { summary: "/(unclosed/" }
      category: nonsense
`;

interface Saved {
  version: number;
  author: string;
  comment: string | null;
  rolledBackFrom: number | null;
  rules: number;
  warnings: unknown[];
  missingTables: string[];
}

describe('rule set API (real NATS and Postgres)', () => {
  let service: TestService;
  let http: HttpClient;

  beforeAll(async () => {
    service = await startTestService(classifierService);
    http = httpClient(service.url);
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function classify(summary: string, type = 'DiskFull'): Promise<ClassifiedEventV1> {
    const event = acceptedEvent({ source: 'demo', node: 'web-1', type, summary, severity: 'major' });
    await publishAccepted(service.nats, [event]);
    return waitFor(`event "${summary}" classified`, async () =>
      (await classifiedById(service.nats)).get(event.id),
    );
  }

  it('starts without a rule set: 404, no versions, the empty set classifies', async () => {
    expect((await http.get('/api/v1/rules')).status).toBe(404);
    expect((await http.get('/api/v1/rules/versions')).body).toEqual({ active: null, versions: [] });
    expect(await classify('disk 91% full')).toMatchObject({
      category: 'operational',
      priority: 'P3',
      classification: { ruleSet: 'default', ruleSetVersion: '0', matchedRules: [] },
    });
  });

  it('refuses an invalid rule set with the line and column of every error, and saves nothing', async () => {
    const answer = await http.put<ErrorBody>('/api/v1/rules', { text: INVALID });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(answer.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'globals.rules[0].match.summary',
          line: 4,
          column: expect.any(Number),
        }),
        expect.objectContaining({ path: 'globals.rules[0].category', line: 5, column: expect.any(Number) }),
      ]),
    );
    expect(answer.body.message).toContain('line 4');

    const syntax = await http.put<ErrorBody>('/api/v1/rules', { text: 'globals:\n  rules: [\n' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });

    const validate = await http.post<ErrorBody>('/api/v1/rules/validate', { text: INVALID });
    expect(validate.status).toBe(400);

    expect((await http.get('/api/v1/rules')).status).toBe(404);
    expect((await http.get('/api/v1/rules/versions')).body).toEqual({ active: null, versions: [] });
  });

  it('validates without saving', async () => {
    const answer = await http.post<{ valid: boolean; rules: { id: string }[] }>('/api/v1/rules/validate', {
      text: RULES_V1,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ valid: true, rules: [{ id: 'globals/disk full' }] });
    expect((await http.get('/api/v1/rules')).status).toBe(404);
  });

  it('saves YAML as a new version that classifies the events published afterwards', async () => {
    const saved = await http.put<Saved>('/api/v1/rules?comment=first%20rules', {
      text: RULES_V1,
      headers: { 'X-Vigil-Author': 'alice' },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({
      version: 1,
      author: 'alice',
      comment: 'first rules',
      rolledBackFrom: null,
      rules: 1,
      missingTables: [],
    });

    const active = await http.get<{ version: number; content: string; format: string }>('/api/v1/rules');
    expect(active.body).toMatchObject({ version: 1, format: 'yaml', content: RULES_V1 });

    expect(await classify('disk 97% full')).toMatchObject({
      category: 'os',
      team: 'storage',
      impact: 'high',
      // major × high impact
      priority: 'P2',
      classification: { ruleSet: 'vigil', ruleSetVersion: '1', matchedRules: ['globals/disk full'] },
    });
    expect(await classify('cpu hot')).toMatchObject({ category: 'operational', priority: 'P3' });
  });

  it('saves JSON bodies too, re-serialises on request, and discards what a rule discards', async () => {
    const saved = await http.put<Saved>('/api/v1/rules', {
      json: { content: RULES_V2, format: 'yaml', author: 'bob', comment: 'hardware now; drop heartbeats' },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ version: 2, author: 'bob', rules: 2 });

    const asJson = await http.get<{ format: string; content: string }>('/api/v1/rules?format=json');
    expect(asJson.body.format).toBe('json');
    expect(JSON.parse(asJson.body.content)).toMatchObject({
      globals: { rules: [{ name: 'disk full' }, {}] },
    });

    expect(await classify('disk 99% full')).toMatchObject({
      category: 'hardware',
      team: 'platform',
      classification: { ruleSetVersion: '2' },
    });

    const heartbeat = acceptedEvent({ source: 'demo', type: 'Heartbeat', summary: 'alive' });
    await publishAccepted(service.nats, [heartbeat]);
    await waitFor('the heartbeat acknowledged', () => acceptedStreamDrained(service.nats));
    expect((await classifiedById(service.nats)).has(heartbeat.id)).toBe(false);

    const metrics = (await http.get<string>('/metrics')).text;
    expect(metricValue(metrics, 'vigil_classifier_discarded_total')).toBe(1);
    expect(metricValue(metrics, 'vigil_classifier_rule_hits_total', { rule: 'globals/heartbeats' })).toBe(1);
    expect(metricValue(metrics, 'vigil_classifier_rule_set_version')).toBe(2);
    expect(metricValue(metrics, 'vigil_classifier_events_total', { category: 'hardware' })).toBe(1);

    const hits = await http.get<{ ruleSetVersion: number; rules: { id: string; hits: number }[] }>(
      '/api/v1/rules/hits',
    );
    expect(hits.body.ruleSetVersion).toBe(2);
    expect(hits.body.rules).toEqual([
      // "disk 97% full" and "disk 99% full"; the first disk event came before any rule set.
      expect.objectContaining({ id: 'globals/disk full', hits: 2 }),
      expect.objectContaining({ id: 'globals/heartbeats', hits: 1 }),
    ]);
  });

  it('lists versions newest first without content, and shows a version with its diff', async () => {
    const list = await http.get<{ active: number; versions: Record<string, unknown>[] }>(
      '/api/v1/rules/versions',
    );
    expect(list.body.active).toBe(2);
    expect(list.body.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(list.body.versions[0]).not.toHaveProperty('content');
    expect(list.body.versions[1]).toMatchObject({ author: 'alice', comment: 'first rules', format: 'yaml' });

    const page = await http.get<{ versions: { version: number }[] }>(
      '/api/v1/rules/versions?limit=1&before=2',
    );
    expect(page.body.versions.map((v) => v.version)).toEqual([1]);

    const detail = await http.get<{
      version: number;
      previousVersion: number;
      content: string;
      diff: string;
      linesAdded: number;
      linesRemoved: number;
      changes: { rulesAdded: { id: string }[]; rulesChanged: { id: string }[] };
    }>('/api/v1/rules/versions/2');
    expect(detail.body).toMatchObject({ version: 2, previousVersion: 1, content: RULES_V2 });
    expect(detail.body.diff).toContain('--- version 1');
    expect(detail.body.diff).toContain('+++ version 2');
    expect(detail.body.diff).toContain('-      category: os');
    expect(detail.body.diff).toContain('+      category: hardware');
    expect(detail.body.changes.rulesChanged.map((r) => r.id)).toEqual(['globals/disk full']);
    expect(detail.body.changes.rulesAdded.map((r) => r.id)).toEqual(['globals/heartbeats']);

    const first = await http.get<{ previousVersion: number | null; diff: string }>(
      '/api/v1/rules/versions/1',
    );
    expect(first.body.previousVersion).toBeNull();
    expect(first.body.diff).toContain('+# Disks belong to the storage team.');

    expect((await http.get('/api/v1/rules/versions/9')).status).toBe(404);
    for (const bad of ['two', '0', '-1']) {
      expect((await http.get<ErrorBody>(`/api/v1/rules/versions/${bad}`)).body.errors).toEqual([
        { field: 'version', reason: 'must be a positive integer' },
      ]);
    }
  });

  it('rolls back by saving the old content as a new version; later events use the old rules', async () => {
    const rolledBack = await http.post<Saved>('/api/v1/rules/rollback', {
      json: { version: 1 },
      headers: { 'X-Vigil-Author': 'carol' },
    });
    expect(rolledBack.status).toBe(201);
    expect(rolledBack.body).toMatchObject({
      version: 3,
      rolledBackFrom: 1,
      author: 'carol',
      comment: 'rollback to version 1',
    });
    expect((await http.get<{ content: string }>('/api/v1/rules')).body.content).toBe(RULES_V1);
    expect(await classify('disk 93% full')).toMatchObject({
      category: 'os',
      team: 'storage',
      classification: { ruleSetVersion: '3', matchedRules: ['globals/disk full'] },
    });

    expect((await http.post('/api/v1/rules/rollback', { json: { version: 3 } })).status).toBe(409);
    expect((await http.post('/api/v1/rules/rollback', { json: { version: 42 } })).status).toBe(404);
    const invalid = await http.post<ErrorBody>('/api/v1/rules/rollback', { json: { version: 'one' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e) => e.field)).toContain('version');
  });

  it('imports a Panther server.rules.yml and exports it back', async () => {
    const panther = `globals:
  rules:
    - name: Critical disk
      uuid: 8bb03cd1-b973-11e7-9889-c70bd1bece5e
      match:
        summary: !!js/regexp /disk \\d+% full/
      set:
        severity: 5
groups:
  _order:
    - Demo
  Demo:
    select:
      match:
        node: web-1
    rules:
      - name: Demo Group Rule 1
        uuid: 8bb03cd1-b973-11e7-9889-c70bd1bece5f
        match:
          summary: /critical message/
        set:
          owner: ops
`;
    const imported = await http.post<Saved>('/api/v1/rules/import?format=panther', { text: panther });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ version: 4, comment: 'imported from Panther', rules: 2 });

    // Stored as Vigil's YAML, which is what GET shows by default.
    const stored = await http.get<{ format: string; content: string }>('/api/v1/rules');
    expect(stored.body.format).toBe('yaml');
    expect(stored.body.content).not.toContain('!!js/regexp');

    const exported = await http.get<string>('/api/v1/rules/export?format=panther');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/yaml');
    const original = parsePantherRules(panther);
    const roundTrip = parsePantherRules(exported.text);
    expect(original.ok && roundTrip.ok).toBe(true);
    if (!original.ok || !roundTrip.ok) return;
    expect(roundTrip.document.globals).toEqual(original.document.globals);
    expect(roundTrip.document.groups).toEqual(original.document.groups);

    const viaGet = await http.get<{ format: string; content: string }>('/api/v1/rules?format=panther');
    expect(viaGet.body.format).toBe('panther');

    expect(await classify('disk 95% full')).toMatchObject({
      severity: 'critical',
      classification: { ruleSetVersion: '4', matchedRules: ['8bb03cd1-b973-11e7-9889-c70bd1bece5e'] },
    });

    const broken = await http.post<ErrorBody>('/api/v1/rules/import', {
      text: 'globals:\n  rules:\n    - name: x\n',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]).toMatchObject({ line: expect.any(Number) });
  });

  it('refuses requests without a rule set, and bad JSON fields by name', async () => {
    const empty = await http.put<ErrorBody>('/api/v1/rules', { text: '   ' });
    expect(empty.status).toBe(400);
    const wrong = await http.put<ErrorBody>('/api/v1/rules', {
      json: { content: RULES_V1, format: 'toml', extra: 1 },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e) => e.field).sort()).toEqual(['extra', 'format']);
    expect((await http.get('/api/v1/rules?format=xml')).status).toBe(400);
  });

  it('answers every refusal in one shape, body parsing included', async () => {
    const badJson = await http.post<ErrorBody>('/api/v1/rules/validate', {
      text: '{"content": ',
      contentType: 'application/json',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({ statusCode: 400, error: 'Bad Request', errors: [{ field: '$' }] });

    const xml = await http.post<ErrorBody>('/api/v1/rules/validate', {
      text: '<rules/>',
      contentType: 'application/xml',
    });
    expect(xml.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: expect.any(String),
      errors: [],
    });

    const missing = await http.get<ErrorBody>('/api/v1/rules/versions/99');
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no rule set version 99',
      errors: [],
    });

    // text/yaml is YAML as well as application/yaml.
    const yaml = await http.post('/api/v1/rules/validate', { text: RULES_V1, contentType: 'text/yaml' });
    expect(yaml.status).toBe(200);
  });
});
