import { acceptedEvent, startTestService, TestService } from '@vigil/testing';
import { classifierService } from '../src/service';
import { ErrorBody, httpClient, HttpClient } from './http-client';
import { publishAccepted } from './pipeline';

const ACTIVE = `globals:
  rules:
    - name: disk full
      match: { summary: '/disk (\\d+)% full/' }
      category: os
      set: { labels.usage: '{match.1}' }
`;

const PROPOSED = `globals:
  rules:
    - name: disk full
      match: { summary: '/disk (\\d+)% full/' }
      category: hardware
      team: storage
    - name: heartbeats
      equals: { type: Heartbeat }
      discard: true
    - name: never fires
      equals: { node: no-such-node }
      owner: nobody
`;

const sample = { source: 'demo', node: 'web-1', type: 'DiskFull', summary: 'disk 95% full', severity: 'err' };

interface DryRunAnswer {
  ruleSet: { name: string; version: string };
  results: {
    input: Record<string, unknown>;
    output: Record<string, unknown>;
    discarded: boolean;
    matchedRules: string[];
    trace: {
      kind: string;
      id?: string;
      changes?: { field: string; from: unknown; to: unknown }[];
      reason?: string;
    }[];
  }[];
}

interface HistoryAnswer {
  current: { version: number };
  window: { firstSequence: number; lastSequence: number; skipped: number };
  events: number;
  changed: number;
  categoryChanges: number;
  teamChanges: number;
  severityChanges: number;
  newlyDiscarded: number;
  noLongerDiscarded: number;
  transitions: { field: string; from: unknown; to: unknown; events: number }[];
  rules: { id: string; current: number; proposed: number }[];
  neverMatched: { id: string }[];
  examples: { eventId: string; field: string; from: unknown; to: unknown }[];
}

describe('dry runs (real NATS and Postgres)', () => {
  let service: TestService;
  let http: HttpClient;

  beforeAll(async () => {
    service = await startTestService(classifierService);
    http = httpClient(service.url);
    expect((await http.put('/api/v1/rules', { text: ACTIVE })).status).toBe(201);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('runs sample events through the active rules, with the trace of each', async () => {
    const answer = await http.post<DryRunAnswer>('/api/v1/rules/dry-run', { json: { events: [sample] } });
    expect(answer.status).toBe(200);
    expect(answer.body.ruleSet).toEqual({ name: 'vigil', version: '1' });
    const [result] = answer.body.results;
    // The producer-style sample got the accepted event's defaults.
    expect(result.input).toMatchObject({ schema: 'vigil.event.accepted/v1', severity: 'major', labels: {} });
    expect(result.output).toMatchObject({ category: 'os', labels: { usage: '95' }, priority: 'P3' });
    expect(result.discarded).toBe(false);
    expect(result.matchedRules).toEqual(['globals/disk full']);
    expect(result.trace[0]).toMatchObject({
      kind: 'rule',
      id: 'globals/disk full',
      // The producer sent no category, so the change is from nothing.
      changes: [
        { field: 'category', to: 'os' },
        { field: 'labels.usage', to: '95' },
      ],
    });
    expect(result.trace.at(-1)).toMatchObject({ kind: 'end', reason: 'completed' });
  });

  it('runs them through a proposed rule set instead when one is given', async () => {
    const answer = await http.post<DryRunAnswer>('/api/v1/rules/dry-run', {
      json: {
        rules: { content: PROPOSED, format: 'yaml' },
        events: [sample, { ...sample, type: 'Heartbeat', summary: 'alive' }],
      },
    });
    expect(answer.body.ruleSet).toEqual({ name: 'vigil', version: 'proposed' });
    expect(answer.body.results[0].output).toMatchObject({ category: 'hardware', team: 'storage' });
    expect(answer.body.results[1]).toMatchObject({ discarded: true, matchedRules: ['globals/heartbeats'] });
    expect(answer.body.results[1].trace.at(-1)).toMatchObject({ kind: 'end', reason: 'discard' });
  });

  it('names bad sample fields and bad proposed rules', async () => {
    const badEvents = await http.post<ErrorBody>('/api/v1/rules/dry-run', {
      json: { events: [sample, { ...sample, severity: 'loud', colour: 'red' }] },
    });
    expect(badEvents.status).toBe(400);
    expect(badEvents.body.errors.map((e) => e.field).sort()).toEqual([
      'events[1].colour',
      'events[1].severity',
    ]);

    const badRules = await http.post<ErrorBody>('/api/v1/rules/dry-run', {
      json: {
        rules: { content: 'globals:\n  rules:\n    - name: x\n      category: os\n', format: 'yaml' },
        events: [sample],
      },
    });
    expect(badRules.status).toBe(400);
    expect(badRules.body.errors[0]).toMatchObject({ line: expect.any(Number) });

    const noEvents = await http.post<ErrorBody>('/api/v1/rules/dry-run', { json: { events: [] } });
    expect(noEvents.status).toBe(400);
    expect(noEvents.body.errors[0]).toMatchObject({ field: 'events' });
  });

  describe('history mode', () => {
    const disks = Array.from({ length: 6 }, (_, i) =>
      acceptedEvent({ source: 'demo', type: 'DiskFull', summary: `disk ${90 + i}% full` }),
    );
    const heartbeats = Array.from({ length: 4 }, () =>
      acceptedEvent({ source: 'demo', type: 'Heartbeat', summary: 'alive' }),
    );
    const others = Array.from({ length: 2 }, () =>
      acceptedEvent({ source: 'demo', type: 'LinkDown', summary: 'eth0 down' }),
    );

    beforeAll(async () => {
      // Interleaved, so the window below cuts through every kind.
      const events = [];
      for (let i = 0; i < 6; i++)
        events.push(disks[i], ...(heartbeats[i] ? [heartbeats[i]] : []), ...(others[i] ? [others[i]] : []));
      await publishAccepted(service.nats, events);
    });

    it('replays the accepted stream and reports what the proposed set would change', async () => {
      const answer = await http.post<HistoryAnswer>('/api/v1/rules/dry-run/history', {
        json: { rules: { content: PROPOSED, format: 'yaml' } },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        current: { version: 1 },
        window: { firstSequence: 1, lastSequence: 12, skipped: 0 },
        events: 12,
        changed: 10,
        categoryChanges: 6,
        teamChanges: 6,
        severityChanges: 0,
        newlyDiscarded: 4,
        noLongerDiscarded: 0,
      });
      expect(answer.body.transitions).toEqual(
        expect.arrayContaining([
          { field: 'category', from: 'os', to: 'hardware', events: 6 },
          { field: 'team', from: null, to: 'storage', events: 6 },
          { field: 'discarded', from: false, to: true, events: 4 },
        ]),
      );
      expect(answer.body.rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'globals/disk full', current: 6, proposed: 6 }),
          expect.objectContaining({ id: 'globals/heartbeats', current: 0, proposed: 4 }),
        ]),
      );
      expect(answer.body.neverMatched.map((rule) => rule.id)).toEqual(['globals/never fires']);
      const categoryExamples = answer.body.examples.filter((e) => e.field === 'category');
      expect(categoryExamples).toHaveLength(5);
      const diskIds = new Set(disks.map((e) => e.id));
      expect(
        categoryExamples.every((e) => diskIds.has(e.eventId) && e.from === 'os' && e.to === 'hardware'),
      ).toBe(true);
    });

    it('replays only the last N events when asked', async () => {
      const answer = await http.post<HistoryAnswer>('/api/v1/rules/dry-run/history', {
        json: { rules: { content: PROPOSED, format: 'yaml' }, limit: 5 },
      });
      expect(answer.body).toMatchObject({ window: { firstSequence: 8, lastSequence: 12 }, events: 5 });
    });

    it('refuses a missing rule set and a limit beyond 10 000', async () => {
      const missing = await http.post<ErrorBody>('/api/v1/rules/dry-run/history', { json: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0]).toMatchObject({ field: 'rules' });
      const tooMany = await http.post<ErrorBody>('/api/v1/rules/dry-run/history', {
        json: { rules: { content: PROPOSED }, limit: 10_001 },
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errors[0]).toMatchObject({ field: 'limit' });
    });
  });
});
