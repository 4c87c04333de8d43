import { Client } from 'pg';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  createDataSource,
  dropDatabase,
  ensureDatabase,
  MIGRATIONS,
  revertAllMigrations,
  runMigrations,
} from '../src';
import { uniqueDatabaseUrl } from '@vigil/testing';

/**
 * The library maps no service's table any more (each service registers its own entities): a few
 * columns of `correlator.alerts` stand in for one, to check the naming onto the migrated columns.
 */
@Entity({ schema: 'correlator', name: 'alerts' })
class AlertEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'timestamptz' })
  firstOccurrence!: Date;

  @Column({ type: 'text' })
  lastEventId!: string;

  @Column({ type: 'text', nullable: true })
  previousSeverity!: string | null;
}

async function tables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables t
        WHERE table_schema IN ('correlator', 'notifier')
          -- Occurrence partitions come and go by date; occurrence-retention.int-spec checks them.
          AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = (quote_ident(t.table_schema) || '.' || quote_ident(t.table_name))::regclass)
        ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('migrations (real Postgres)', () => {
  const url = uniqueDatabaseUrl();

  afterAll(async () => {
    await dropDatabase(url);
  });

  it('create the database and every table, in a schema per owning service', async () => {
    expect(await runMigrations(url)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables(url)).toEqual([
      'correlator.alert_history',
      'correlator.alerts',
      'correlator.alerts_archive',
      'correlator.event_occurrences',
      'correlator.heartbeats',
      'correlator.incident_alerts',
      'correlator.incident_history',
      'correlator.incident_rule_set_versions',
      'correlator.incidents',
      'correlator.inhibit_rules',
      'correlator.maintenance_windows',
      'correlator.outbox',
      'correlator.recorded_events',
      'correlator.silence_timers',
      'correlator.timers',
      'notifier.config_history',
      'notifier.config_objects',
      'notifier.deliveries',
      'notifier.escalation_steps',
      'notifier.page_members',
      'notifier.pages',
    ]);
  });

  it('are idempotent: a second run applies nothing and reports the schema current', async () => {
    expect(await runMigrations(url)).toEqual([]);
    const dataSource = createDataSource({ url, applicationName: 'test', entities: [AlertEntity] });
    await dataSource.initialize();
    try {
      expect(await dataSource.showMigrations()).toBe(false);
      // The entities map onto the migrated columns (snake_case): a query through them works.
      await expect(
        dataSource.query('SELECT tally, first_occurrence, labels FROM correlator.alerts'),
      ).resolves.toEqual([]);
      const columns = dataSource.getMetadata('AlertEntity').columns.map((c) => c.databaseName);
      expect(columns).toEqual(
        expect.arrayContaining(['first_occurrence', 'last_event_id', 'previous_severity']),
      );
    } finally {
      await dataSource.destroy();
    }
  });

  it('enforce the contracts in the database: unknown statuses and severities are refused', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await expect(
        client.query(
          `INSERT INTO correlator.alerts (fingerprint, status, severity, tally, first_occurrence, last_occurrence,
             summary, node, source, type, category, last_event_id, sequence)
           VALUES ('fp', 'sleeping', 'major', 1, now(), now(), 's', 'n', 'src', 't', 'os', 'e', 1)`,
        ),
      ).rejects.toThrow(/check constraint/);
      await expect(
        client.query(
          `INSERT INTO correlator.alerts (fingerprint, status, severity, tally, first_occurrence, last_occurrence,
             summary, node, source, type, category, last_event_id, sequence, priority)
           VALUES ('fp', 'open', 'major', 1, now(), now(), 's', 'n', 'src', 't', 'os', 'e', 1, 'P9')`,
        ),
      ).rejects.toThrow(/alerts_priority_check/);
    } finally {
      await client.end();
    }
  });

  it('revert cleanly and apply again', async () => {
    expect(await revertAllMigrations(url)).toBe(MIGRATIONS.length);
    expect(await tables(url)).toEqual([]);
    expect(await runMigrations(url)).toHaveLength(MIGRATIONS.length);
  });

  it('leave an existing database alone when asked to ensure it', async () => {
    expect(await ensureDatabase(url)).toBe(false);
  });
});
