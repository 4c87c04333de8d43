import { randomUUID } from 'node:crypto';
import { Subjects } from '@vigil/contracts';
import { classifiedEvent, startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';

const TOKEN = 'operator-token-for-tests';

interface Answer<T> {
  status: number;
  headers: globalThis.Headers;
  body: T;
}
type ErrorBody = { message: string; errors?: { field: string; reason: string }[] };

/** The operator API over HTTP with the real correlator behind it (real NATS and Postgres). */
describe('operator API (query + correlator)', () => {
  let platform: TestPlatform;

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    token: string | null = TOKEN,
  ): Promise<Answer<T>> => {
    const response = await fetch(`${platform.url('query')}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
  };

  /** Opens an alert the way production does: a classified event on JetStream, consumed by the correlator. */
  const openAlert = async (fingerprint: string): Promise<string> => {
    const event = classifiedEvent({ fingerprint, node: fingerprint, severity: 'major' });
    await platform.nats.client.js.publish(
      platform.nats.client.space.subject(Subjects.EventsClassified, 'os'),
      JSON.stringify(event),
      { msgID: event.id },
    );
    return waitFor('the alert', async () => {
      const { body } = await call<{ items: { id: string }[] }>('GET', `/api/v1/alerts?node=${fingerprint}`);
      return body.items[0]?.id;
    });
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ env: { query: { QUERY_OPERATOR_TOKEN: TOKEN } } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  describe('maintenance windows', () => {
    const window = {
      actor: 'alice',
      name: 'db upgrade',
      matchers: ['service="nothing-matches"'],
      window: { start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z' },
      comment: 'yearly',
    };

    it('are created, read, listed, replaced and deleted over HTTP', async () => {
      const created = await call<{ id: string }>('POST', '/api/v1/maintenance-windows', window);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'db upgrade', createdBy: 'alice', active: false });
      const { id } = created.body;

      const read = await call('GET', `/api/v1/maintenance-windows/${id}`, undefined, {}, null);
      expect(read).toMatchObject({ status: 200, body: { id, comment: 'yearly' } });

      const listed = await call<{ id: string }[]>('GET', '/api/v1/maintenance-windows?name=UPGRADE');
      expect(listed.body.map((w) => w.id)).toEqual([id]);
      const none = await call<unknown[]>('GET', '/api/v1/maintenance-windows?name=nothing-like-it');
      expect(none).toMatchObject({ status: 200, body: [] });

      const moved = { ...window, actor: 'bob', name: 'db upgrade (moved)' };
      moved.window = { start: '2030-01-02T00:00:00Z', end: '2030-01-02T01:00:00Z' };
      const updated = await call('PUT', `/api/v1/maintenance-windows/${id}`, moved);
      expect(updated).toMatchObject({
        status: 200,
        body: { id, name: 'db upgrade (moved)', createdBy: 'alice' },
      });

      const deleted = await call('DELETE', `/api/v1/maintenance-windows/${id}?actor=bob`);
      expect(deleted).toMatchObject({ status: 200, body: { id, deleted: true } });
      expect((await call('GET', `/api/v1/maintenance-windows/${id}`)).status).toBe(404);
      expect((await call('DELETE', `/api/v1/maintenance-windows/${id}?actor=bob`)).status).toBe(404);
      expect((await call('PUT', `/api/v1/maintenance-windows/${id}`, moved)).status).toBe(404);
    });

    it('answer 400 naming the field the correlator refused (window.rrule, matchers[1])', async () => {
      const bad = await call<ErrorBody>('POST', '/api/v1/maintenance-windows', {
        ...window,
        matchers: ['service="db"', 'not a matcher'],
        window: { rrule: 'FREQ=SOMETIMES', durationMinutes: 10, timezone: 'Europe/Berlin' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toEqual(
        expect.arrayContaining(['window.rrule', 'matchers[1]']),
      );
      expect(bad.body.message).toMatch(/^invalid request: .*window\.rrule: /);
    });

    it('answer 400 naming the field before asking the correlator when the body breaks the contract', async () => {
      const bad = await call<ErrorBody>('POST', '/api/v1/maintenance-windows', {
        actor: 'alice',
        matchers: 'service="db"',
        window: [],
        colour: 'red',
      });
      expect(bad.status).toBe(400);
      expect(new Set(bad.body.errors?.map((e) => e.field))).toEqual(
        new Set(['colour', 'matchers', 'name', 'window']),
      );
      const noActor = await call<ErrorBody>('DELETE', `/api/v1/maintenance-windows/${randomUUID()}`);
      expect(noActor.status).toBe(400);
      expect(new Set(noActor.body.errors?.map((e) => e.field))).toEqual(new Set(['actor']));
      expect((await call('GET', '/api/v1/maintenance-windows/not-a-uuid')).status).toBe(400);
    });
  });

  it('manages inhibition rules over HTTP', async () => {
    const rule = {
      actor: 'alice',
      name: 'node down mutes its disks',
      sourceMatchers: ['type="NodeDown"'],
      targetMatchers: ['type="DiskFull"'],
      equal: ['node'],
    };
    const created = await call<{ id: string }>('POST', '/api/v1/inhibit-rules', rule);
    expect(created).toMatchObject({ status: 201, body: { name: rule.name, equal: ['node'] } });
    const { id } = created.body;
    expect(
      (await call<{ id: string }[]>('GET', '/api/v1/inhibit-rules?name=mutes')).body.map((r) => r.id),
    ).toEqual([id]);
    const updated = await call('PUT', `/api/v1/inhibit-rules/${id}`, { ...rule, equal: ['node', 'cluster'] });
    expect(updated).toMatchObject({ status: 200, body: { equal: ['node', 'cluster'] } });
    const bad = await call<ErrorBody>('PUT', `/api/v1/inhibit-rules/${id}`, {
      ...rule,
      sourceMatchers: ['type=~"("'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['sourceMatchers[0]']);
    expect(await call('DELETE', `/api/v1/inhibit-rules/${id}?actor=alice`)).toMatchObject({
      status: 200,
      body: { deleted: true },
    });
    expect((await call('GET', `/api/v1/inhibit-rules/${id}`)).status).toBe(404);
  });

  describe('alert commands', () => {
    it('acknowledge an alert; the Idempotency-Key makes a repeat a replay', async () => {
      const alertId = await openAlert('op-ack');
      const key = { 'idempotency-key': `ack-${alertId}` };
      const first = await call(
        'POST',
        `/api/v1/alerts/${alertId}/acknowledge`,
        { actor: 'alice', reason: 'on it' },
        key,
      );
      expect(first).toMatchObject({
        status: 200,
        body: {
          alertId,
          commandId: `ack-${alertId}`,
          changed: true,
          replayed: false,
          change: 'acknowledged',
          status: 'acknowledged',
        },
      });
      const again = await call('POST', `/api/v1/alerts/${alertId}/acknowledge`, { actor: 'alice' }, key);
      expect(again).toMatchObject({ status: 200, body: { replayed: true, sequence: first.body.sequence } });

      const history = await call<{ items: { action: string; actor: string; commandId: string | null }[] }>(
        'GET',
        `/api/v1/alerts/${alertId}/history`,
      );
      expect(history.body.items.filter((h) => h.action === 'acknowledged')).toEqual([
        expect.objectContaining({ actor: 'alice', commandId: `ack-${alertId}` }),
      ]);
      const alert = await call('GET', `/api/v1/alerts/${alertId}`);
      expect(alert.body).toMatchObject({ status: 'acknowledged' });
    });

    it("prefers the body's commandId, else generates one", async () => {
      const alertId = await openAlert('op-ids');
      const fromBody = await call(
        'POST',
        `/api/v1/alerts/${alertId}/notes`,
        { actor: 'alice', text: 'vendor ticket 4711', commandId: 'note-1' },
        { 'idempotency-key': 'ignored' },
      );
      expect(fromBody).toMatchObject({ status: 200, body: { commandId: 'note-1', change: 'note_added' } });
      const generated = await call<{ commandId: string }>('POST', `/api/v1/alerts/${alertId}/assign`, {
        actor: 'alice',
        assignee: 'bob',
      });
      expect(generated.status).toBe(200);
      expect(generated.body.commandId).toMatch(/^[0-9a-f-]{36}$/);
      const severity = await call('POST', `/api/v1/alerts/${alertId}/severity`, {
        actor: 'alice',
        severity: 'critical',
      });
      expect(severity).toMatchObject({ status: 200, body: { change: 'severity_changed' } });
      const snoozed = await call('POST', `/api/v1/alerts/${alertId}/snooze`, {
        actor: 'alice',
        durationSeconds: 600,
      });
      expect(snoozed).toMatchObject({ status: 200, body: { status: 'snoozed' } });
    });

    it('answer 409 with the reason for a command the alert cannot take, 404 for an unknown alert', async () => {
      const alertId = await openAlert('op-conflict');
      expect(await call('POST', `/api/v1/alerts/${alertId}/resolve`, { actor: 'alice' })).toMatchObject({
        status: 200,
        body: { status: 'resolved' },
      });
      const conflict = await call<ErrorBody>('POST', `/api/v1/alerts/${alertId}/acknowledge`, {
        actor: 'alice',
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toBe(
        `alert ${alertId} is resolved: a resolved alert cannot be acknowledged`,
      );
      const unacknowledge = await call('POST', `/api/v1/alerts/${alertId}/unacknowledge`, { actor: 'alice' });
      expect(unacknowledge.status).toBe(409);

      const missing = await call<ErrorBody>('POST', `/api/v1/alerts/${randomUUID()}/acknowledge`, {
        actor: 'alice',
      });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toMatch(/^alert .* not found$/);
    });

    it('answer 400 naming the field for a bad body, a bad Idempotency-Key or a bad path id', async () => {
      const alertId = randomUUID();
      const bad = await call<ErrorBody>('POST', `/api/v1/alerts/${alertId}/snooze`, {
        actor: 'system',
        alertId,
        until: 'tomorrow',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['actor', 'alertId', 'until']);
      const severity = await call<ErrorBody>('POST', `/api/v1/alerts/${alertId}/severity`, {
        actor: 'alice',
        severity: 'cleared',
      });
      expect(severity.body.errors?.map((e) => e.field)).toEqual(['severity']);
      const empty = await call<ErrorBody>('POST', `/api/v1/alerts/${alertId}/acknowledge`);
      expect(empty.status).toBe(400);
      expect(empty.body.errors?.map((e) => e.field)).toContain('actor');
      const key = await call<ErrorBody>(
        'POST',
        `/api/v1/alerts/${alertId}/acknowledge`,
        { actor: 'alice' },
        { 'idempotency-key': 'has spaces in it' },
      );
      expect(key.status).toBe(400);
      expect(key.body.errors).toEqual([
        { field: 'Idempotency-Key', reason: 'must be printable ASCII without spaces' },
      ]);
      expect((await call('POST', '/api/v1/alerts/not-a-uuid/acknowledge', { actor: 'alice' })).status).toBe(
        400,
      );
    });
  });

  it('manages heartbeats over HTTP', async () => {
    const heartbeat = {
      actor: 'alice',
      name: 'nightly backup',
      matchers: ['source="backup"', 'type="BackupDone"'],
      intervalSeconds: 90000,
      labels: { team: 'storage' },
    };
    const created = await call<{ id: string }>('POST', '/api/v1/heartbeats', heartbeat);
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'nightly backup', state: 'waiting', severity: 'major', createdBy: 'alice' },
    });
    const { id } = created.body;
    expect(await call('GET', `/api/v1/heartbeats/${id}`, undefined, {}, null)).toMatchObject({
      status: 200,
      body: { id, intervalSeconds: 90000 },
    });
    expect(
      (await call<{ id: string }[]>('GET', '/api/v1/heartbeats?name=BACKUP')).body.map((h) => h.id),
    ).toEqual([id]);
    const updated = await call('PUT', `/api/v1/heartbeats/${id}`, { ...heartbeat, intervalSeconds: 3600 });
    expect(updated).toMatchObject({ status: 200, body: { id, intervalSeconds: 3600 } });

    const refused = await call<ErrorBody>('PUT', `/api/v1/heartbeats/${id}`, {
      ...heartbeat,
      matchers: ['source="backup"', 'not a matcher'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.field)).toEqual(['matchers[1]']);
    const contract = await call<ErrorBody>('POST', '/api/v1/heartbeats', {
      ...heartbeat,
      intervalSeconds: 0,
    });
    expect(contract.status).toBe(400);
    expect(new Set(contract.body.errors?.map((e) => e.field))).toEqual(new Set(['intervalSeconds']));

    expect(await call('DELETE', `/api/v1/heartbeats/${id}?actor=alice`)).toMatchObject({
      status: 200,
      body: { id, deleted: true },
    });
    expect((await call('GET', `/api/v1/heartbeats/${id}`)).status).toBe(404);
    expect((await call('POST', '/api/v1/heartbeats', heartbeat, {}, null)).status).toBe(401);
  });

  describe('correlation rules', () => {
    const definition = {
      name: 'db per node',
      matchers: ['node="never-matches"'],
      groupBy: ['node'],
      windowSeconds: 300,
      threshold: 2,
    };
    type Rule = { id: string; name: string; threshold: number };
    type RuleSet = { version: number; rules: Rule[] };

    it('are added, read, replaced, deleted and rolled back over HTTP, each write a version', async () => {
      const created = await call<{ version: number; rule: Rule }>('POST', '/api/v1/incident-rules', {
        actor: 'alice',
        comment: 'first',
        rule: definition,
      });
      expect(created.status).toBe(201);
      expect(created.body.rule).toMatchObject({ name: 'db per node', threshold: 2, resolvePolicy: 'all' });
      const { id } = created.body.rule;
      const first = created.body.version;

      const set = await call<RuleSet>('GET', '/api/v1/incident-rules', undefined, {}, null);
      expect(set).toMatchObject({ status: 200, body: { version: first, author: 'alice', comment: 'first' } });
      expect(set.body.rules.map((r) => r.id)).toContain(id);
      expect(await call('GET', `/api/v1/incident-rules/${id}`)).toMatchObject({ status: 200, body: { id } });

      const updated = await call<{ version: number; rule: Rule }>('PUT', `/api/v1/incident-rules/${id}`, {
        actor: 'bob',
        rule: { ...definition, threshold: 3 },
      });
      expect(updated).toMatchObject({
        status: 200,
        body: { version: first + 1, rule: { id, threshold: 3 } },
      });

      const deleted = await call('DELETE', `/api/v1/incident-rules/${id}?actor=bob&comment=too%20noisy`);
      expect(deleted).toMatchObject({ status: 200, body: { version: first + 2, deleted: true } });
      expect((await call('GET', `/api/v1/incident-rules/${id}`)).status).toBe(404);
      expect(
        (await call('PUT', `/api/v1/incident-rules/${id}`, { actor: 'bob', rule: definition })).status,
      ).toBe(404);

      const versions = await call<{ version: number; author: string; comment: string | null }[]>(
        'GET',
        `/api/v1/incident-rules/versions?limit=2`,
      );
      expect(versions.body.map((v) => [v.version, v.author, v.comment])).toEqual([
        [first + 2, 'bob', 'too noisy'],
        [first + 1, 'bob', null],
      ]);
      const older = await call<unknown[]>('GET', `/api/v1/incident-rules/versions?before=${first + 1}`);
      expect(older.body).toHaveLength(first);

      const rolledBack = await call<RuleSet & { rolledBackFrom: number }>(
        'POST',
        '/api/v1/incident-rules/rollback',
        {
          actor: 'alice',
          version: first,
        },
      );
      expect(rolledBack).toMatchObject({ status: 200, body: { version: first + 3, rolledBackFrom: first } });
      const then = await call<RuleSet>('GET', `/api/v1/incident-rules?version=${first}`);
      expect(then.body.rules.find((r) => r.id === id)).toMatchObject({ threshold: 2 });
      await call('DELETE', `/api/v1/incident-rules/${id}?actor=alice`);
    });

    it('answer 400 naming the field, from the contract or from the correlator', async () => {
      const refused = await call<ErrorBody>('POST', '/api/v1/incident-rules', {
        actor: 'alice',
        rule: { ...definition, matchers: ['node="db"', 'not a matcher'] },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.map((e) => e.field)).toEqual(['rule.matchers[1]']);
      const contract = await call<ErrorBody>('POST', '/api/v1/incident-rules', {
        actor: 'alice',
        rule: { ...definition, windowSeconds: 0 },
        position: -1,
      });
      expect(contract.status).toBe(400);
      expect(new Set(contract.body.errors?.map((e) => e.field))).toEqual(
        new Set(['rule.windowSeconds', 'position']),
      );
      const query = await call<ErrorBody>('GET', '/api/v1/incident-rules?version=zero');
      expect(query.body.errors?.map((e) => e.field)).toContain('version');
    });
  });

  describe('incident commands', () => {
    it('acknowledge, replay and resolve an incident the correlator opened; 409 after it is resolved', async () => {
      const rule = await call<{ rule: { id: string } }>('POST', '/api/v1/incident-rules', {
        actor: 'alice',
        rule: {
          name: 'op incidents',
          matchers: ['node="op-incident"'],
          groupBy: ['node'],
          windowSeconds: 300,
        },
      });
      expect(rule.status).toBe(201);
      const ruleId = rule.body.rule.id;
      const alertId = await openAlert('op-incident');
      const incident = await waitFor('the incident', async () => {
        const { body } = await call<{ items: { id: string; status: string }[] }>(
          'GET',
          `/api/v1/incidents?ruleId=${ruleId}`,
        );
        return body.items[0];
      });
      expect(incident.status).toBe('open');
      const detail = await call<{ members: { alertId: string; status: string; firing: boolean }[] }>(
        'GET',
        `/api/v1/incidents/${incident.id}`,
      );
      expect(detail.body.members).toEqual([
        expect.objectContaining({ alertId, status: 'open', firing: true }),
      ]);

      const key = { 'idempotency-key': `inc-ack-${incident.id}` };
      const path = `/api/v1/incidents/${incident.id}`;
      const acknowledged = await call('POST', `${path}/acknowledge`, { actor: 'alice' }, key);
      expect(acknowledged).toMatchObject({
        status: 200,
        body: {
          incidentId: incident.id,
          commandId: `inc-ack-${incident.id}`,
          changed: true,
          replayed: false,
        },
      });
      expect(await call('POST', `${path}/acknowledge`, { actor: 'alice' }, key)).toMatchObject({
        status: 200,
        body: { replayed: true },
      });
      expect(await call('POST', `${path}/unacknowledge`, { actor: 'alice' })).toMatchObject({
        status: 200,
        body: { status: 'open' },
      });
      expect(await call('POST', `${path}/resolve`, { actor: 'alice', reason: 'fixed' })).toMatchObject({
        status: 200,
        body: { status: 'resolved' },
      });
      const late = await call<ErrorBody>('POST', `${path}/acknowledge`, { actor: 'alice' });
      expect(late.status).toBe(409);
      expect(late.body.message).toMatch(/resolved/);
      expect(
        (await call('POST', `/api/v1/incidents/${randomUUID()}/resolve`, { actor: 'alice' })).status,
      ).toBe(404);

      const history = await call<{ items: { action: string; actor: string; commandId: string | null }[] }>(
        'GET',
        `${path}/history`,
      );
      expect(history.body.items.map((h) => h.action)).toEqual(
        expect.arrayContaining(['opened', 'acknowledged', 'unacknowledged', 'resolved']),
      );
      expect(history.body.items.find((h) => h.action === 'acknowledged')).toMatchObject({
        actor: 'alice',
        commandId: `inc-ack-${incident.id}`,
      });
      await call('DELETE', `/api/v1/incident-rules/${ruleId}?actor=alice`);
    });
  });

  describe('the write token (QUERY_OPERATOR_TOKEN)', () => {
    it('is required for writes and not for reads', async () => {
      const body = { actor: 'alice' };
      const path = `/api/v1/alerts/${randomUUID()}/acknowledge`;
      const missing = await call<ErrorBody>('POST', path, body, {}, null);
      expect(missing.status).toBe(401);
      expect(missing.body.message).toContain('QUERY_OPERATOR_TOKEN');
      expect((await call('POST', path, body, {}, 'not-the-operator-token')).status).toBe(401);
      expect((await call('POST', '/api/v1/maintenance-windows', {}, {}, null)).status).toBe(401);
      expect(
        (await call('DELETE', `/api/v1/inhibit-rules/${randomUUID()}?actor=a`, undefined, {}, null)).status,
      ).toBe(401);
      expect((await call('POST', '/api/v1/incident-rules/rollback', {}, {}, null)).status).toBe(401);
      expect((await call('GET', '/api/v1/maintenance-windows', undefined, {}, null)).status).toBe(200);
      expect((await call('GET', '/api/v1/incidents', undefined, {}, null)).status).toBe(200);
    });
  });

  it('serves the OpenAPI document of every endpoint', async () => {
    const { status, body } = await call<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/api/docs/openapi.json',
    );
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/alerts/{id}/acknowledge',
        '/api/v1/maintenance-windows/{id}',
        '/api/v1/inhibit-rules',
        '/api/v1/incidents/{id}/history',
        '/api/v1/incident-rules/rollback',
        '/api/v1/heartbeats/{id}',
        '/api/v1/incidents/{id}/resolve',
      ]),
    );
    expect(JSON.stringify(body.paths['/api/v1/alerts/{id}/acknowledge'])).toContain('Idempotency-Key');
  });
});
