import { randomUUID } from 'node:crypto';
import { AlertChangedV1, IncidentChangedV1, RpcSubject, RpcSubjects, StreamNames } from '@vigil/contracts';
import { classifiedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { CorrelationService } from '../src/alerts/correlation.service';
import { IncidentCorrelationService } from '../src/incidents/incident-correlation.service';
import { IncidentRulesService } from '../src/incidents/incident-rules.service';
import { correlatorService } from '../src/service';

type Reply = {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string; details?: { field: string }[] };
};

/** Incidents from real alert changes: NATS, Postgres, the outbox and the correlator's own consumer. */
describe('incidents (real NATS and Postgres)', () => {
  let svc: TestService;

  const request = async (subject: RpcSubject, body: unknown): Promise<Reply> => {
    const reply = await svc.nats.client.connection.request(
      svc.nats.client.space.exact(subject),
      JSON.stringify(body),
      {
        timeout: 5000,
      },
    );
    return reply.json<Reply>();
  };
  const createRule = async (rule: Record<string, unknown>) => {
    const reply = await request(RpcSubjects.IncidentRuleCreate, {
      actor: 'alice',
      rule: { matchers: [], ...rule },
    });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    return (reply.data as { rule: { id: string } }).rule.id;
  };
  /** One classified event through de-duplication; returns its alert's id. */
  const fire = async (event: Parameters<typeof classifiedEvent>[0]) => {
    const [outcome] = await svc.app
      .get(CorrelationService)
      .correlate([{ event: classifiedEvent(event), headers: {} }]);
    if (outcome.result !== 'recorded' || !outcome.alertId) throw new Error(`not recorded: ${outcome.result}`);
    return outcome.alertId;
  };
  const incidentChanges = async (ruleId: string) =>
    (await svc.nats.readStream(StreamNames.IncidentsChanged))
      .map((m) => m.json<IncidentChangedV1>())
      .filter((c) => c.incident.ruleId === ruleId)
      .sort(
        (a, b) =>
          a.incident.openedAt.localeCompare(b.incident.openedAt) ||
          a.incidentId.localeCompare(b.incidentId) ||
          a.sequence - b.sequence,
      );
  const changesUntil = async (ruleId: string, count: number) => {
    let changes: IncidentChangedV1[] = [];
    await waitFor(
      `${count} incident changes of rule ${ruleId}`,
      async () => (changes = await incidentChanges(ruleId)).length >= count,
      { timeoutMs: 15_000 },
    );
    return changes;
  };
  const alertChangesDone = async (alertIds: string[], count: number) => {
    await waitFor(
      'alert changes relayed',
      async () =>
        (await svc.nats.readStream(StreamNames.AlertsChanged))
          .map((m) => m.json<AlertChangedV1>())
          .filter((c) => alertIds.includes(c.alertId)).length >= count,
      { timeoutMs: 10_000 },
    );
  };
  const db = <R>(sql: string, values: unknown[] = []) => svc.app.get(DataSource).query<R[]>(sql, values);

  beforeAll(async () => {
    svc = await startTestService(correlatorService, { OUTBOX_POLL_INTERVAL_MS: '50' });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('correlation rules: create, read, update, delete, versions and rollback; faults name their field', async () => {
    // The contract checks shapes and ranges; the rule parser checks what only it understands (matchers).
    const badRange = await request(RpcSubjects.IncidentRuleCreate, {
      actor: 'alice',
      rule: { name: 'bad', matchers: [], groupBy: ['node'], windowSeconds: 0 },
    });
    expect(badRange).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(badRange.error?.details?.map((d) => d.field)).toEqual(['rule.windowSeconds']);
    const badMatcher = await request(RpcSubjects.IncidentRuleCreate, {
      actor: 'alice',
      rule: {
        name: 'bad',
        matchers: ['source="x"', 'nonsense'],
        groupBy: ['node', '9x'],
        windowSeconds: 5,
      },
    });
    expect(badMatcher.error?.details?.map((d) => d.field)).toEqual(['rule.matchers[1]', 'rule.groupBy[1]']);
    const badPolicy = await request(RpcSubjects.IncidentRuleCreate, {
      actor: 'alice',
      rule: { name: 'bad', matchers: [], groupBy: ['node'], windowSeconds: 5, resolvePolicy: 'never' },
    });
    expect(badPolicy.error?.details?.map((d) => d.field)).toEqual(['rule.resolvePolicy']);

    const before = (await request(RpcSubjects.IncidentRuleSetGet, {})).data as { version: number };
    const id = await createRule({
      name: 'crud',
      matchers: ['source="crud-nothing"'],
      groupBy: ['node'],
      windowSeconds: 60,
    });
    const got = await request(RpcSubjects.IncidentRuleGet, { id });
    expect(got.data).toMatchObject({ id, name: 'crud', threshold: 1, resolvePolicy: 'all', enabled: true });

    const updated = await request(RpcSubjects.IncidentRuleUpdate, {
      id,
      actor: 'bob',
      comment: 'wider',
      rule: {
        name: 'crud',
        matchers: ['source="crud-nothing"'],
        groupBy: ['node'],
        windowSeconds: 120,
        threshold: 2,
      },
    });
    expect(updated.data).toMatchObject({
      version: before.version + 2,
      rule: { windowSeconds: 120, threshold: 2 },
    });
    const versions = (await request(RpcSubjects.IncidentRuleSetVersions, { limit: 2 })).data as unknown as {
      version: number;
      author: string;
      comment: string | null;
    }[];
    expect(versions.map((v) => [v.version, v.author, v.comment])).toEqual([
      [before.version + 2, 'bob', 'wider'],
      [before.version + 1, 'alice', null],
    ]);

    const rolledBack = await request(RpcSubjects.IncidentRuleSetRollback, {
      actor: 'carol',
      version: before.version + 1,
    });
    expect(rolledBack.data).toMatchObject({
      version: before.version + 3,
      rolledBackFrom: before.version + 1,
    });
    expect((await request(RpcSubjects.IncidentRuleGet, { id })).data).toMatchObject({ windowSeconds: 60 });

    expect((await request(RpcSubjects.IncidentRuleDelete, { id, actor: 'carol' })).data).toMatchObject({
      deleted: true,
    });
    expect(await request(RpcSubjects.IncidentRuleGet, { id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await request(RpcSubjects.IncidentRuleDelete, { id, actor: 'carol' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('groups alerts by label within the window: one incident, opened once, then alerts added', async () => {
    const ruleId = await createRule({
      name: 'by node',
      matchers: ['source="grouping"'],
      groupBy: ['node'],
      windowSeconds: 300,
    });
    const a = await fire({
      source: 'grouping',
      node: 'db-1',
      type: 'DiskFull',
      fingerprint: 'g-a',
      severity: 'minor',
    });
    const b = await fire({
      source: 'grouping',
      node: 'db-1',
      type: 'CpuHigh',
      fingerprint: 'g-b',
      severity: 'critical',
    });
    const other = await fire({ source: 'grouping', node: 'db-2', type: 'DiskFull', fingerprint: 'g-c' });
    const changes = await changesUntil(ruleId, 4);
    const db1 = changes.filter((c) => c.incident.groupLabels.node === 'db-1');
    expect(db1.map((c) => [c.change, c.alertId])).toEqual([
      ['opened', a],
      ['alert_added', b],
      ['severity_changed', b],
    ]);
    expect(db1[2].incident).toMatchObject({
      severity: 'critical',
      alertCount: 2,
      firingCount: 2,
      title: 'by node: node=db-1',
    });
    const db2 = changes.filter((c) => c.incident.groupLabels.node === 'db-2');
    expect(db2.map((c) => [c.change, c.alertId])).toEqual([['opened', other]]);
    const [row] = await db<{ alert_count: number; status: string }>(
      'SELECT alert_count, status FROM correlator.incidents WHERE id = $1',
      [db1[0].incidentId],
    );
    expect(row).toEqual({ alert_count: 2, status: 'open' });
  });

  it('opens only at the threshold, with every alert of the window', async () => {
    const ruleId = await createRule({
      name: 'storm',
      matchers: ['source="threshold"'],
      groupBy: ['labels.cluster'],
      windowSeconds: 300,
      threshold: 3,
    });
    const ids = [
      await fire({ source: 'threshold', node: 'n1', fingerprint: 't-1', labels: { cluster: 'eu' } }),
      await fire({ source: 'threshold', node: 'n2', fingerprint: 't-2', labels: { cluster: 'eu' } }),
    ];
    await alertChangesDone(ids, 2);
    // Both changes were consumed (pending incident written) but nothing is announced below the threshold.
    await waitFor(
      'pending incident',
      async () =>
        (
          await db<{ n: number }>(
            `SELECT count(*)::int AS n FROM correlator.incidents WHERE rule_id = $1 AND status = 'pending'`,
            [ruleId],
          )
        )[0].n === 1,
      { timeoutMs: 10_000 },
    );
    expect(await incidentChanges(ruleId)).toEqual([]);
    ids.push(await fire({ source: 'threshold', node: 'n3', fingerprint: 't-3', labels: { cluster: 'eu' } }));
    const [opened] = await changesUntil(ruleId, 1);
    expect(opened).toMatchObject({
      change: 'opened',
      incident: { alertCount: 3, groupLabels: { 'labels.cluster': 'eu' } },
    });
  });

  it('topology: a host alert and the alerts of the services on it form one incident', async () => {
    const ruleId = await createRule({
      name: 'host cascade',
      matchers: ['source="topology"'],
      groupBy: [],
      topology: { parentField: 'node', childField: 'labels.host' },
      windowSeconds: 300,
    });
    await fire({ source: 'topology', node: 'hv-7', type: 'HostDown', fingerprint: 'topo-host' });
    await fire({
      source: 'topology',
      node: 'postgres',
      type: 'ServiceDown',
      fingerprint: 'topo-pg',
      labels: { host: 'hv-7' },
    });
    await fire({
      source: 'topology',
      node: 'api',
      type: 'ServiceDown',
      fingerprint: 'topo-api',
      labels: { host: 'hv-8' },
    });
    const changes = await changesUntil(ruleId, 3);
    const byIncident = new Map<string, string[]>();
    for (const c of changes)
      byIncident.set(c.incident.groupKey, [...(byIncident.get(c.incident.groupKey) ?? []), c.change]);
    expect(Object.fromEntries(byIncident)).toEqual({
      'node="hv-7"': ['opened', 'alert_added'],
      'node="hv-8"': ['opened'],
    });
  });

  it('resolve policy "first": the cause resolving resolves the incident; a resolved incident takes no new alert', async () => {
    const ruleId = await createRule({
      name: 'cause first',
      matchers: ['source="policy"'],
      groupBy: ['node'],
      windowSeconds: 600,
      resolvePolicy: 'first',
    });
    const cause = await fire({ source: 'policy', node: 'sw-1', type: 'LinkDown', fingerprint: 'p-cause' });
    const symptom = await fire({ source: 'policy', node: 'sw-1', type: 'Latency', fingerprint: 'p-symptom' });
    await changesUntil(ruleId, 2);
    await fire({
      source: 'policy',
      node: 'sw-1',
      type: 'LinkDown',
      fingerprint: 'p-cause',
      severity: 'cleared',
    });
    const changes = await changesUntil(ruleId, 3);
    expect(changes.map((c) => [c.change, c.alertId])).toEqual([
      ['opened', cause],
      ['alert_added', symptom],
      ['resolved', cause],
    ]);
    expect(changes[2].incident).toMatchObject({ status: 'resolved', firingCount: 1 });

    const late = await fire({ source: 'policy', node: 'sw-1', type: 'Errors', fingerprint: 'p-late' });
    const after = await changesUntil(ruleId, 4);
    expect(after[3]).toMatchObject({ change: 'opened', alertId: late });
    expect(after[3].incidentId).not.toBe(changes[0].incidentId);
  });

  it('commands: acknowledge (replayed by command id), resolve, then a conflict', async () => {
    const ruleId = await createRule({
      name: 'commands',
      matchers: ['source="commands"'],
      groupBy: ['node'],
      windowSeconds: 60,
    });
    await fire({ source: 'commands', node: 'c-1', fingerprint: 'c-1' });
    const [opened] = await changesUntil(ruleId, 1);
    const incidentId = opened.incidentId;
    const commandId = randomUUID();
    const ack = await request(RpcSubjects.IncidentAcknowledge, { incidentId, actor: 'carol', commandId });
    expect(ack.data).toMatchObject({
      changed: true,
      replayed: false,
      change: 'acknowledged',
      status: 'acknowledged',
      sequence: 2,
    });
    const again = await request(RpcSubjects.IncidentAcknowledge, { incidentId, actor: 'carol', commandId });
    expect(again.data).toMatchObject({ replayed: true, change: 'acknowledged', sequence: 2 });
    const resolved = await request(RpcSubjects.IncidentResolve, {
      incidentId,
      actor: 'carol',
      commandId: randomUUID(),
    });
    expect(resolved.data).toMatchObject({ changed: true, status: 'resolved' });
    const conflict = await request(RpcSubjects.IncidentAcknowledge, {
      incidentId,
      actor: 'dave',
      commandId: randomUUID(),
    });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(conflict.error?.message).toContain('is resolved');
    expect(
      await request(RpcSubjects.IncidentAcknowledge, {
        incidentId: randomUUID(),
        actor: 'x',
        commandId: 'c',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const changes = await changesUntil(ruleId, 3);
    expect(changes.map((c) => [c.change, c.actor, c.commandId ?? null])).toEqual([
      ['opened', 'system', null],
      ['acknowledged', 'carol', commandId],
      ['resolved', 'carol', expect.any(String)],
    ]);
  });

  it('a redelivered batch of alert changes changes nothing', async () => {
    const ruleId = await createRule({
      name: 'redelivery',
      matchers: ['source="redelivery"'],
      groupBy: ['node'],
      windowSeconds: 60,
    });
    const a = await fire({ source: 'redelivery', node: 'r-1', fingerprint: 'r-a' });
    await fire({ source: 'redelivery', node: 'r-1', fingerprint: 'r-b' });
    await changesUntil(ruleId, 2);
    const alertChanges = (await svc.nats.readStream(StreamNames.AlertsChanged))
      .map((m) => m.json<AlertChangedV1>())
      .filter((c) => c.alert.source === 'redelivery');
    await svc.app.get(IncidentCorrelationService).apply(alertChanges, []);
    const history = await db<{ n: number }>(
      `SELECT count(*)::int AS n FROM correlator.incident_history h JOIN correlator.incidents i ON i.id = h.incident_id
        WHERE i.rule_id = $1`,
      [ruleId],
    );
    expect(history[0].n).toBe(2);
    expect((await incidentChanges(ruleId)).filter((c) => c.alertId === a)).toHaveLength(1);
  });

  it('two replicas group one storm into one incident, each alert once', async () => {
    const replica = await startTestService(
      correlatorService,
      { OUTBOX_POLL_INTERVAL_MS: '50' },
      { shareWith: svc },
    );
    try {
      const ruleId = await createRule({
        name: 'storm',
        matchers: ['source="replicas"'],
        groupBy: ['service'],
        windowSeconds: 600,
      });
      await replica.app.get(IncidentRulesService).reload();
      const events = Array.from({ length: 40 }, (_, i) =>
        classifiedEvent({ source: 'replicas', node: `n-${i}`, service: 'checkout', fingerprint: `rep-${i}` }),
      );
      // Half through each replica's de-duplication, concurrently; both replicas' incident consumers
      // share the alert change feed.
      await Promise.all(
        [svc, replica].map((s, r) =>
          s.app
            .get(CorrelationService)
            .correlate(events.filter((_, i) => i % 2 === r).map((event) => ({ event, headers: {} }))),
        ),
      );
      const changes = await changesUntil(ruleId, 40);
      expect(changes.filter((c) => c.change === 'opened')).toHaveLength(1);
      expect(new Set(changes.map((c) => c.incidentId)).size).toBe(1);
      const added = changes.filter((c) => c.change === 'alert_added').map((c) => c.alertId);
      expect(new Set(added).size).toBe(39);
      const [row] = await db<{ alert_count: number; sequence: number }>(
        'SELECT alert_count, sequence FROM correlator.incidents WHERE id = $1',
        [changes[0].incidentId],
      );
      expect(row).toEqual({ alert_count: 40, sequence: 40 });
    } finally {
      await replica.stop();
    }
  });
});
