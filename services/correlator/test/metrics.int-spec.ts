import { Consumers, Subjects } from '@vigil/contracts';
import { startTestService, TestService, waitFor } from '@vigil/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { OUTBOX_BACKLOG_CACHE_MS } from '../src/outbox/outbox.metrics';
import { OutboxPoller } from '../src/outbox/outbox.poller';
import { correlatorService } from '../src/service';

/** A sample's value in a Prometheus text exposition, or undefined when the series is absent. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('correlator scrape-time metrics (real NATS and Postgres)', () => {
  let service: TestService;
  let db: DataSource;

  const scrape = async () => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    return response.text();
  };
  const readyz = async () => (await fetch(`${service.url}/readyz`)).status;

  /** Runs `sql` on the server's maintenance database, outside the service's pool. */
  async function asAdmin(sql: string, values: unknown[] = []): Promise<void> {
    const url = new URL(service.database.url);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(sql, values);
    } finally {
      await client.end();
    }
  }
  const databaseName = () => new URL(service.database.url).pathname.slice(1);

  /** Postgres stops answering the service: its connections are cut and new ones refused. */
  async function cutDatabase(): Promise<void> {
    await asAdmin(`ALTER DATABASE "${databaseName()}" WITH ALLOW_CONNECTIONS false`);
    await asAdmin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      databaseName(),
    ]);
  }
  const restoreDatabase = () => asAdmin(`ALTER DATABASE "${databaseName()}" WITH ALLOW_CONNECTIONS true`);

  beforeAll(async () => {
    // The relay's poll is at its slowest, so rows inserted behind its back wait until it is kicked.
    service = await startTestService(correlatorService, { OUTBOX_POLL_INTERVAL_MS: '60000' });
    db = service.app.get(DataSource);
  });

  afterAll(async () => {
    if (service) await restoreDatabase();
    await service?.stop();
  });

  it('exposes consumer lag, readiness and the outbox backlog in the /metrics text', async () => {
    const text = await scrape();
    for (const { durable } of [Consumers.CorrelatorClassified, Consumers.CorrelatorIncidents]) {
      for (const noun of ['pending', 'ack_pending', 'redelivered']) {
        expect(
          sample(text, `vigil_correlator_consumer_${noun}_messages`, {
            consumer: durable,
            service: 'correlator',
          }),
        ).toBe(0);
      }
    }
    expect(text).toContain('# TYPE vigil_correlator_ready gauge');
    expect(sample(text, 'vigil_correlator_ready', { service: 'correlator' })).toBe(1);
    expect(sample(text, 'vigil_correlator_outbox_pending_messages', { service: 'correlator' })).toBe(0);
    expect(sample(text, 'vigil_correlator_outbox_oldest_age_seconds', { service: 'correlator' })).toBe(0);
  });

  it('counts outbox rows not yet relayed and the age of the oldest, and 0 once relayed', async () => {
    await db.query(
      `INSERT INTO correlator.outbox (family, token, msg_id, payload, created_at)
       SELECT $1, 'metrics-test', 'metrics-test-' || n, '{}'::jsonb,
              now() - make_interval(secs => CASE n WHEN 2 THEN 600 ELSE 10 END)
         FROM generate_series(1, 3) AS n`,
      [Subjects.EventsRejected],
    );
    const backlog = await waitFor(
      'the outbox gauges to see three rows',
      async () => {
        const text = await scrape();
        const pending = sample(text, 'vigil_correlator_outbox_pending_messages');
        const age = sample(text, 'vigil_correlator_outbox_oldest_age_seconds');
        return pending === 3 && age !== undefined && { pending, age };
      },
      { timeoutMs: OUTBOX_BACKLOG_CACHE_MS * 3 },
    );
    // The oldest row's age (not the newest's, nor the first inserted's), read within the cache time.
    expect(backlog.age).toBeGreaterThanOrEqual(600);
    expect(backlog.age).toBeLessThan(600 + (OUTBOX_BACKLOG_CACHE_MS * 4) / 1000);

    service.app.get(OutboxPoller).kick();
    await waitFor(
      'the outbox gauges to drop to 0 after the relay',
      async () => {
        const text = await scrape();
        return (
          sample(text, 'vigil_correlator_outbox_pending_messages') === 0 &&
          sample(text, 'vigil_correlator_outbox_oldest_age_seconds') === 0
        );
      },
      { timeoutMs: OUTBOX_BACKLOG_CACHE_MS * 3 },
    );
    const [{ n }] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM correlator.outbox');
    expect(n).toBe(0);
  });

  it('reports not ready, as /readyz does, while Postgres does not answer, and ready again after', async () => {
    expect(await readyz()).toBe(200);
    await cutDatabase();
    try {
      await waitFor('ready 0', async () => sample(await scrape(), 'vigil_correlator_ready') === 0, {
        timeoutMs: 10_000,
      });
      expect(await readyz()).toBe(503);
      // The backlog cannot be read: its series are left out rather than frozen at their last value.
      await waitFor(
        'the outbox series to be left out',
        async () => {
          const text = await scrape();
          return (
            sample(text, 'vigil_correlator_outbox_pending_messages') === undefined &&
            sample(text, 'vigil_correlator_outbox_oldest_age_seconds') === undefined
          );
        },
        { timeoutMs: OUTBOX_BACKLOG_CACHE_MS * 3 },
      );
    } finally {
      await restoreDatabase();
    }
    await waitFor('ready 1', async () => sample(await scrape(), 'vigil_correlator_ready') === 1, {
      timeoutMs: 10_000,
    });
    expect(await readyz()).toBe(200);
    await waitFor(
      'the outbox series to return',
      async () => sample(await scrape(), 'vigil_correlator_outbox_pending_messages') === 0,
      { timeoutMs: OUTBOX_BACKLOG_CACHE_MS * 3 },
    );
  });
});
