import { randomUUID } from 'node:crypto';
import { startTestService, TestService } from '@vigil/testing';
import { Client } from 'pg';
import { queryService } from '../src/service';
import type { AlertView } from '../src/alerts/alerts.service';

interface Seed {
  status: string;
  severity: string;
  source: string;
  node: string;
  minute: number;
  priority?: string;
  team?: string;
}

const seeds: Seed[] = [
  {
    status: 'open',
    severity: 'critical',
    source: 'prometheus',
    node: 'db-1',
    minute: 1,
    priority: 'P1',
    team: 'db',
  },
  {
    status: 'open',
    severity: 'major',
    source: 'prometheus',
    node: 'web-1',
    minute: 2,
    priority: 'P2',
    team: 'web',
  },
  { status: 'resolved', severity: 'major', source: 'syslog', node: 'web-1', minute: 3 },
  { status: 'open', severity: 'minor', source: 'syslog', node: 'web-2', minute: 4 },
  { status: 'acknowledged', severity: 'warning', source: 'billing', node: 'pay-1', minute: 5 },
  // Same last occurrence as the one above: the id must break the tie for pagination to be exact.
  { status: 'open', severity: 'warning', source: 'billing', node: 'pay-2', minute: 5 },
];

describe('query API (real Postgres)', () => {
  let service: TestService;
  let base: string;
  const ids: string[] = [];

  const get = async <T>(path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    service = await startTestService(queryService);
    base = service.url;
    const client = new Client({ connectionString: service.database.url });
    await client.connect();
    for (const [i, seed] of seeds.entries()) {
      const id = randomUUID();
      ids.push(id);
      const at = new Date(Date.UTC(2026, 4, 1, 12, seed.minute)).toISOString();
      await client.query(
        `INSERT INTO correlator.alerts (id, fingerprint, status, severity, tally, first_occurrence, last_occurrence,
           summary, node, source, type, category, labels, last_event_id, sequence, priority, team)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, 'Test', 'os', '{"team":"core"}', $10, 1, $11, $12)`,
        [
          id,
          `fp-${i}`,
          seed.status,
          seed.severity,
          i + 1,
          at,
          `alert ${i}`,
          seed.node,
          seed.source,
          `e-${i}`,
          seed.priority ?? null,
          seed.team ?? null,
        ],
      );
    }
    for (let minute = 0; minute < 3; minute++) {
      await client.query(
        `INSERT INTO correlator.event_occurrences (event_id, alert_id, fingerprint, severity, summary, occurred_at,
           received_at, event)
         VALUES ($1, $2, 'fp-0', 'critical', $3, $4, $4, '{}')`,
        [
          `occ-${minute}`,
          ids[0],
          `occurrence ${minute}`,
          new Date(Date.UTC(2026, 4, 1, 11, minute)).toISOString(),
        ],
      );
    }
    await client.end();
  });

  afterAll(async () => {
    await service?.stop();
  });

  type Page = { items: AlertView[]; nextCursor: string | null };

  it('lists alerts newest activity first', async () => {
    const { status, body } = await get<Page>('/api/v1/alerts');
    expect(status).toBe(200);
    expect(body.items.map((a) => a.node)).toEqual(
      expect.arrayContaining(['db-1', 'web-1', 'web-2', 'pay-1', 'pay-2']),
    );
    const times = body.items.map((a) => a.lastOccurrence);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.items[0]).toMatchObject({ labels: { team: 'core' }, category: 'os', sequence: 1 });
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['status=open', ['db-1', 'web-1', 'web-2', 'pay-2']],
    ['status=open,acknowledged&severity=warning', ['pay-1', 'pay-2']],
    ['source=syslog', ['web-1', 'web-2']],
    ['node=web-1&status=resolved', ['web-1']],
    ['severity=critical&severity=major', ['db-1', 'web-1', 'web-1']],
    ['priority=P1&team=db', ['db-1']],
    ['priority=P1,P2', ['db-1', 'web-1']],
    ['team=web', ['web-1']],
  ])('filters by %s', async (query, nodes) => {
    const { body } = await get<Page>(`/api/v1/alerts?${query}`);
    expect(body.items.map((a) => a.node).sort()).toEqual([...nodes].sort());
  });

  it('pages with a cursor, missing and repeating nothing', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const { body } = await get<Page>(`/api/v1/alerts${query}`);
      seen.push(...body.items.map((a) => a.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(seeds.length);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('returns one alert with its recent occurrences, newest first', async () => {
    const { status, body } = await get<AlertView & { occurrences: { summary: string }[] }>(
      `/api/v1/alerts/${ids[0]}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: ids[0],
      node: 'db-1',
      severity: 'critical',
      tally: 1,
      priority: 'P1',
      team: 'db',
    });
    expect(body.occurrences.map((o) => o.summary)).toEqual(['occurrence 2', 'occurrence 1', 'occurrence 0']);
  });

  it("shows each occurrence's classification: the rule set, its version and the rules that matched", async () => {
    const client = new Client({ connectionString: service.database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO correlator.event_occurrences (event_id, alert_id, fingerprint, severity, summary, occurred_at,
           received_at, event, rule_set, rule_set_version, matched_rules)
         VALUES ('occ-classified', $1, 'fp-1', 'major', 'classified', $2, $2, '{}', 'default', '7',
           ARRAY['link-category', 'link-team'])`,
        [ids[1], new Date(Date.UTC(2026, 4, 1, 12, 0)).toISOString()],
      );
    } finally {
      await client.end();
    }
    const { body } = await get<{ occurrences: { eventId: string; classification: unknown }[] }>(
      `/api/v1/alerts/${ids[1]}`,
    );
    expect(body.occurrences.find((o) => o.eventId === 'occ-classified')?.classification).toEqual({
      ruleSet: 'default',
      ruleSetVersion: '7',
      matchedRules: ['link-category', 'link-team'],
    });
  });

  it('returns the history of an alert, oldest change first', async () => {
    const client = new Client({ connectionString: service.database.url });
    await client.connect();
    try {
      // Inserted in reverse order: the endpoint must order by sequence.
      await client.query(
        `INSERT INTO correlator.alert_history (alert_id, sequence, at, actor, action, from_status, to_status, reason,
           event_id, command_id, details)
         VALUES ($1, 2, '2026-05-01T12:05:00Z', 'alice', 'acknowledged', 'open', 'acknowledged', 'on it', NULL,
                 'cmd-1', '{}'),
                ($1, 1, '2026-05-01T12:00:00Z', 'system', 'opened', NULL, 'open', NULL, 'e-1', NULL, '{}')`,
        [ids[1]],
      );
    } finally {
      await client.end();
    }
    const { status, body } = await get<{ alertId: string; items: Record<string, unknown>[] }>(
      `/api/v1/alerts/${ids[1]}/history`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      alertId: ids[1],
      items: [
        {
          sequence: 1,
          at: '2026-05-01T12:00:00.000Z',
          actor: 'system',
          action: 'opened',
          fromStatus: null,
          toStatus: 'open',
          reason: null,
          eventId: 'e-1',
          commandId: null,
          details: {},
        },
        {
          sequence: 2,
          at: '2026-05-01T12:05:00.000Z',
          actor: 'alice',
          action: 'acknowledged',
          fromStatus: 'open',
          toStatus: 'acknowledged',
          reason: 'on it',
          eventId: null,
          commandId: 'cmd-1',
          details: {},
        },
      ],
    });
    expect((await get<{ items: unknown[] }>(`/api/v1/alerts/${ids[2]}/history`)).body.items).toEqual([]);
    expect((await get(`/api/v1/alerts/${randomUUID()}/history`)).status).toBe(404);
    expect((await get('/api/v1/alerts/not-a-uuid/history')).status).toBe(400);
  });

  it('answers 404 for an unknown alert and 400 for a malformed id', async () => {
    expect((await get(`/api/v1/alerts/${randomUUID()}`)).status).toBe(404);
    expect((await get('/api/v1/alerts/not-a-uuid')).status).toBe(400);
  });

  it('answers 400 naming the bad parameter', async () => {
    const bad = await get<{ errors: { field: string }[] }>('/api/v1/alerts?status=sleeping&limit=900');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['limit', 'status']);
    const cursor = await get<{ errors: { field: string }[] }>('/api/v1/alerts?cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([{ field: 'cursor', reason: 'is not a cursor this API issued' }]);
    const unknown = await get<{ errors: { field: string }[] }>('/api/v1/alerts?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('colour');
  });

  it('reports ready when Postgres and NATS answer', async () => {
    const { status, body } = await get<{ status: string; info: Record<string, { status: string }> }>(
      '/readyz',
    );
    expect(status).toBe(200);
    expect(body.info).toMatchObject({ nats: { status: 'up' }, postgres: { status: 'up' } });
  });

  it('exposes Prometheus metrics with the service label', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('process_cpu_seconds_total{service="query"}');
  });
});
