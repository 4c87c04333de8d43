import { randomUUID } from 'node:crypto';
import { RpcSubjects } from '@vigil/contracts';
import { startTestService, TestService } from '@vigil/testing';
import { Client } from 'pg';
import type { IncidentView } from '../src/incidents/incidents.service';
import { queryService } from '../src/service';

interface Seed {
  status: 'pending' | 'open' | 'acknowledged' | 'resolved';
  severity: string;
  rule: 'a' | 'b';
  minute: number;
}

const RULES = { a: randomUUID(), b: randomUUID() };
const seeds: Seed[] = [
  { status: 'open', severity: 'critical', rule: 'a', minute: 1 },
  { status: 'acknowledged', severity: 'major', rule: 'a', minute: 2 },
  { status: 'resolved', severity: 'minor', rule: 'b', minute: 3 },
  { status: 'pending', severity: 'major', rule: 'a', minute: 4 },
  { status: 'open', severity: 'major', rule: 'b', minute: 5 },
  // Same opening time as the one above: the id must break the tie for pagination to be exact.
  { status: 'open', severity: 'warning', rule: 'b', minute: 5 },
];

type Page = { items: IncidentView[]; nextCursor: string | null };
type ErrorBody = { message: string; errors?: { field: string; reason: string }[] };

/**
 * Incidents read from rows inserted with SQL (the correlator's incident engine writes them), and
 * the incident commands' answers when no correlator is reachable (real NATS and Postgres).
 */
describe('incidents API (real Postgres, no correlator)', () => {
  let service: TestService;
  const ids: string[] = [];
  const alerts = { live: randomUUID(), archived: randomUUID(), gone: randomUUID() };

  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    service = await startTestService(queryService, { QUERY_RPC_TIMEOUT_MS: '300' });
    const client = new Client({ connectionString: service.database.url });
    await client.connect();
    try {
      for (const [i, seed] of seeds.entries()) {
        const id = randomUUID();
        ids.push(id);
        const at = new Date(Date.UTC(2026, 4, 1, 12, seed.minute)).toISOString();
        await client.query(
          `INSERT INTO correlator.incidents (id, status, severity, title, rule_id, rule_name, rule_version,
             resolve_policy, window_seconds, threshold, group_key, group_labels, alert_count, firing_count,
             first_alert_id, last_alert_id, started_at, last_joined_at, opened_at, acknowledged_at,
             acknowledged_by, resolved_at, sequence)
           VALUES ($1, $2, $3, $4, $5, $6, 3, 'all', 300, 2, $7, $8, 3, 2, $9, $10, $11, $11, $12, $13, $14, $15, $16)`,
          [
            id,
            seed.status,
            seed.severity,
            `incident ${i}`,
            RULES[seed.rule],
            `rule ${seed.rule}`,
            `node=db-${i}`,
            JSON.stringify({ node: `db-${i}` }),
            alerts.live,
            alerts.gone,
            at,
            seed.status === 'pending' ? null : at,
            seed.status === 'acknowledged' ? at : null,
            seed.status === 'acknowledged' ? 'alice' : null,
            seed.status === 'resolved' ? at : null,
            seed.status === 'pending' ? 0 : 1,
          ],
        );
      }
      // One member alert live, one archived since, one no longer anywhere.
      const alertColumns = `id, fingerprint, status, severity, tally, first_occurrence, last_occurrence, summary,
        node, source, type, category, service, labels, last_event_id, sequence`;
      await client.query(
        `INSERT INTO correlator.alerts (${alertColumns})
         VALUES ($1, 'fp-live', 'open', 'critical', 1, now(), now(), 'db down', 'db-0', 'test', 'DbDown', 'database',
                 'billing', '{}', 'e-1', 1)`,
        [alerts.live],
      );
      await client.query(
        `INSERT INTO correlator.alerts_archive (${alertColumns})
         VALUES ($1, 'fp-archived', 'closed', 'minor', 1, now(), now(), 'disk slow', 'db-0', 'test', 'DiskSlow', 'os',
                 NULL, '{}', 'e-2', 4)`,
        [alerts.archived],
      );
      await client.query(
        `INSERT INTO correlator.incident_alerts (incident_id, alert_id, joined_at, severity, firing, alert_sequence)
         VALUES ($1, $2, '2026-05-01T12:01:00Z', 'critical', true, 1),
                ($1, $3, '2026-05-01T12:02:00Z', 'minor', false, 4),
                ($1, $4, '2026-05-01T12:03:00Z', 'major', true, 1)`,
        [ids[0], alerts.live, alerts.archived, alerts.gone],
      );
      // Inserted in reverse order: the endpoint must order by sequence.
      await client.query(
        `INSERT INTO correlator.incident_history (incident_id, sequence, at, actor, action, from_status, to_status,
           alert_id, reason, command_id, details)
         VALUES ($1, 2, '2026-05-01T12:05:00Z', 'alice', 'acknowledged', 'open', 'acknowledged', NULL, 'on it',
                 'cmd-1', '{}'),
                ($1, 1, '2026-05-01T12:02:00Z', 'system', 'opened', NULL, 'open', $2, NULL, NULL,
                 '{"alerts": 2}')`,
        [ids[1], alerts.live],
      );
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('lists incidents newest opening first, without pending ones', async () => {
    const { status, body } = await call<Page>('GET', '/api/v1/incidents');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(5);
    expect(body.items.map((i) => i.id)).not.toContain(ids[3]);
    const times = body.items.map((i) => i.openedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.items.find((i) => i.id === ids[1])).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'alice',
      ruleName: 'rule a',
      ruleVersion: 3,
      groupLabels: { node: 'db-1' },
      windowSeconds: 300,
      threshold: 2,
      sequence: 1,
    });
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['status=open', () => 'status=open', [0, 4, 5]],
    ['two statuses and a severity', () => 'status=open,resolved&severity=major', [4]],
    ['repeated severities', () => 'severity=critical&severity=minor', [0, 2]],
    ['rule', () => `ruleId=${RULES.a}`, [0, 1]],
    ['rule and status', () => `ruleId=${RULES.b}&status=resolved`, [2]],
  ])('filters by %s', async (_label, query, expected) => {
    const { body } = await call<Page>('GET', `/api/v1/incidents?${query()}`);
    expect(body.items.map((i) => i.id).sort()).toEqual(expected.map((n) => ids[n]).sort());
  });

  it('pages with a cursor, missing and repeating nothing', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const { body }: { body: Page } = await call<Page>('GET', `/api/v1/incidents${query}`);
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(ids.filter((_, n) => n !== 3).sort());
  });

  it('answers 400 naming the bad parameter; pending is not a status operators see', async () => {
    const bad = await call<ErrorBody>('GET', '/api/v1/incidents?status=pending&ruleId=nope&limit=0');
    expect(bad.status).toBe(400);
    expect(new Set(bad.body.errors?.map((e) => e.field))).toEqual(new Set(['status', 'ruleId', 'limit']));
    const cursor = await call<ErrorBody>('GET', '/api/v1/incidents?cursor=garbage');
    expect(cursor.body.errors).toEqual([{ field: 'cursor', reason: 'is not a cursor this API issued' }]);
  });

  it('returns one incident with its members, each joined with its alert', async () => {
    const { status, body } = await call<IncidentView & { members: unknown[]; membersTruncated: boolean }>(
      'GET',
      `/api/v1/incidents/${ids[0]}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: ids[0],
      status: 'open',
      severity: 'critical',
      title: 'incident 0',
      ruleId: RULES.a,
      resolvePolicy: 'all',
      groupKey: 'node=db-0',
      alertCount: 3,
      firingCount: 2,
      firstAlertId: alerts.live,
      lastAlertId: alerts.gone,
      openedAt: '2026-05-01T12:01:00.000Z',
      membersTruncated: false,
    });
    expect(body).not.toHaveProperty('acknowledgedAt');
    expect(body.members).toEqual([
      {
        alertId: alerts.live,
        fingerprint: 'fp-live',
        status: 'open',
        severity: 'critical',
        summary: 'db down',
        node: 'db-0',
        service: 'billing',
        joinedAt: '2026-05-01T12:01:00.000Z',
        firing: true,
      },
      {
        alertId: alerts.archived,
        fingerprint: 'fp-archived',
        status: 'closed',
        severity: 'minor',
        summary: 'disk slow',
        node: 'db-0',
        service: null,
        joinedAt: '2026-05-01T12:02:00.000Z',
        firing: false,
      },
      {
        alertId: alerts.gone,
        fingerprint: null,
        status: null,
        severity: 'major',
        summary: null,
        node: null,
        service: null,
        joinedAt: '2026-05-01T12:03:00.000Z',
        firing: true,
      },
    ]);
  });

  it('returns the history of an incident, oldest change first', async () => {
    const { status, body } = await call<{ incidentId: string; items: Record<string, unknown>[] }>(
      'GET',
      `/api/v1/incidents/${ids[1]}/history`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      incidentId: ids[1],
      items: [
        {
          sequence: 1,
          at: '2026-05-01T12:02:00.000Z',
          actor: 'system',
          action: 'opened',
          fromStatus: null,
          toStatus: 'open',
          alertId: alerts.live,
          reason: null,
          commandId: null,
          details: { alerts: 2 },
        },
        {
          sequence: 2,
          at: '2026-05-01T12:05:00.000Z',
          actor: 'alice',
          action: 'acknowledged',
          fromStatus: 'open',
          toStatus: 'acknowledged',
          alertId: null,
          reason: 'on it',
          commandId: 'cmd-1',
          details: {},
        },
      ],
    });
    expect(
      (await call<{ items: unknown[] }>('GET', `/api/v1/incidents/${ids[2]}/history`)).body.items,
    ).toEqual([]);
  });

  it('answers 404 for a pending or unknown incident and 400 for a malformed id', async () => {
    expect((await call('GET', `/api/v1/incidents/${ids[3]}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/incidents/${ids[3]}/history`)).status).toBe(404);
    expect((await call('GET', `/api/v1/incidents/${randomUUID()}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/incidents/${randomUUID()}/history`)).status).toBe(404);
    expect((await call('GET', '/api/v1/incidents/not-a-uuid')).status).toBe(400);
  });

  describe('without a correlator', () => {
    it('answers a command 503 with Retry-After and the command id to retry with', async () => {
      const { status, headers, body } = await call<ErrorBody & { commandId: string }>(
        'POST',
        `/api/v1/incidents/${ids[0]}/acknowledge`,
        { actor: 'alice', commandId: 'ack-1' },
      );
      expect(status).toBe(503);
      expect(headers.get('retry-after')).toBe('5');
      expect(body).toMatchObject({ commandId: 'ack-1', retryAfterSeconds: 5 });
      expect(body.message).toBe(
        'no correlator is answering; retry with commandId "ack-1" (a repeat is applied once)',
      );
      for (const path of ['/api/v1/maintenance-windows', '/api/v1/incident-rules', '/api/v1/inhibit-rules']) {
        expect((await call('GET', path)).status).toBe(503);
      }
    });

    it('answers 503 when the correlator does not answer in time (QUERY_RPC_TIMEOUT_MS)', async () => {
      // A responder that never replies: the request reaches someone and times out.
      const silent = service.nats.client.connection.subscribe(
        service.nats.client.space.exact(RpcSubjects.IncidentResolve),
      );
      // The server must know of the subscription before the query service asks, or nobody answers.
      await service.nats.client.connection.flush();
      try {
        const { status, headers, body } = await call<ErrorBody & { commandId: string }>(
          'POST',
          `/api/v1/incidents/${ids[0]}/resolve`,
          { actor: 'alice' },
        );
        expect(status).toBe(503);
        expect(headers.get('retry-after')).toBe('5');
        expect(body.commandId).toMatch(/^[0-9a-f-]{36}$/);
        expect(body.message).toMatch(
          /^the correlator did not answer within 300 ms; the change may still be applied/,
        );
      } finally {
        silent.unsubscribe();
      }
    });

    it('validates the command before asking anyone (writes are open without QUERY_OPERATOR_TOKEN)', async () => {
      const bad = await call<ErrorBody>('POST', `/api/v1/incidents/${ids[0]}/unacknowledge`, {
        actor: 'alice',
        incidentId: ids[0],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.field)).toEqual(['incidentId']);
    });
  });
});
