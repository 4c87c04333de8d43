import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, runMigrations } from '../src';
import { uniqueDatabaseUrl } from '@vigil/testing';

/** Undoes migrations, newest first, until `name` is the last one undone. */
async function revertThrough(url: string, name: string): Promise<void> {
  const dataSource: DataSource = createDataSource({ url, applicationName: 'test' });
  await dataSource.initialize();
  try {
    for (;;) {
      const [last] = await dataSource.query<{ name: string }[]>(
        `SELECT name FROM vigil_migrations ORDER BY id DESC LIMIT 1`,
      );
      await dataSource.undoLastMigration({ transaction: 'each' });
      if (last.name === name) return;
    }
  } finally {
    await dataSource.destroy();
  }
}

describe('occurrence retention migration (real Postgres)', () => {
  const url = uniqueDatabaseUrl();
  let client: Client;

  beforeAll(async () => {
    await runMigrations(url);
    await revertThrough(url, 'OccurrenceRetention1796300000000');
    client = new Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropDatabase(url);
  });

  it('partitions the existing occurrences by day and records their event ids', async () => {
    await client.query(`
      INSERT INTO correlator.alerts (id, fingerprint, status, severity, tally, first_occurrence, last_occurrence,
        summary, node, source, type, category, last_event_id, sequence)
      VALUES ('00000000-0000-4000-8000-000000000001', 'fp', 'open', 'major', 2, now(), now(), 's', 'n', 'src', 't',
        'os', 'e2', 1)`);
    await client.query(`
      INSERT INTO correlator.event_occurrences (event_id, alert_id, fingerprint, severity, summary, occurred_at,
        received_at, recorded_at, event, rule_set, matched_rules)
      VALUES ('e1', '00000000-0000-4000-8000-000000000001', 'fp', 'major', 's', now(), now(),
              '2026-03-04T23:59:59Z', '{}', 'main', '{r1}'),
             ('e2', '00000000-0000-4000-8000-000000000001', 'fp', 'major', 's', now(), now(),
              '2026-03-05T00:00:00Z', '{}', 'main', '{}')`);

    await runMigrations(url);

    const { rows: occurrences } = await client.query<{
      event_id: string;
      partition: string;
      matched_rules: string[];
    }>(
      `SELECT event_id, tableoid::regclass::text AS partition, matched_rules FROM correlator.event_occurrences
        ORDER BY event_id`,
    );
    expect(occurrences).toEqual([
      { event_id: 'e1', partition: 'correlator.event_occurrences_p20260304', matched_rules: ['r1'] },
      { event_id: 'e2', partition: 'correlator.event_occurrences_p20260305', matched_rules: [] },
    ]);
    const { rows: recorded } = await client.query<{ event_id: string }>(
      'SELECT event_id FROM correlator.recorded_events ORDER BY event_id',
    );
    expect(recorded.map((r) => r.event_id)).toEqual(['e1', 'e2']);
    const { rows: kind } = await client.query<{ relkind: string }>(
      `SELECT relkind FROM pg_class WHERE oid = 'correlator.event_occurrences'::regclass`,
    );
    expect(kind[0].relkind).toBe('p');
  });

  it('takes any recorded_at: a day without a partition goes to the default one', async () => {
    await client.query(`
      INSERT INTO correlator.event_occurrences (event_id, fingerprint, severity, summary, occurred_at, received_at,
        recorded_at, event)
      VALUES ('e3', 'fp', 'major', 's', now(), now(), '2031-01-01T00:00:00Z', '{}')`);
    const { rows } = await client.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM correlator.event_occurrences WHERE event_id = 'e3'`,
    );
    expect(rows[0].partition).toBe('correlator.event_occurrences_default');
  });

  it('reverts to one table keyed by event id, with the occurrences back in it', async () => {
    await revertThrough(url, 'OccurrenceRetention1796300000000');
    const { rows } = await client.query<{ event_id: string; relkind: string }>(
      `SELECT event_id, (SELECT relkind FROM pg_class WHERE oid = 'correlator.event_occurrences'::regclass) AS relkind
         FROM correlator.event_occurrences ORDER BY event_id`,
    );
    expect(rows).toEqual([
      { event_id: 'e1', relkind: 'r' },
      { event_id: 'e2', relkind: 'r' },
      { event_id: 'e3', relkind: 'r' },
    ]);
    await runMigrations(url);
  });
});
