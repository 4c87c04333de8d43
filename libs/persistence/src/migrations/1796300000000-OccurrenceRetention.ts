import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (issue 6). Occurrences become a table partitioned by day on `recorded_at`, so that
 * expiring a day is dropping a table rather than deleting (and vacuuming) millions of rows. A
 * primary key of a partitioned table must contain the partition key, so de-duplication of
 * redelivered events moves to `recorded_events`, a plain table keyed by event id that the
 * correlator writes in the same statement as the occurrences.
 *
 * Partitions are UTC days named `event_occurrences_pYYYYMMDD`; the correlator's housekeeping
 * creates them ahead and drops them by age, recognising them by that name. The DEFAULT partition
 * is the safety net for a day nobody created (housekeeping down for days): an insert never fails
 * for lack of a partition, and housekeeping moves such rows out when it creates their day.
 *
 * The foreign key to `alerts` is not carried over: occurrences expire with their partitions,
 * alerts are archived on their own schedule, and a per-row foreign-key check is a cost on the
 * hottest insert there is. The archive keeps the alert ids, so occurrences stay attributable.
 *
 * This migration copies every existing row (once, at upgrade): fine for the sizes an unpartitioned
 * table could reach here; it creates one partition per day present in the data.
 */
export class OccurrenceRetention1796300000000 implements MigrationInterface {
  name = 'OccurrenceRetention1796300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE correlator.event_occurrences RENAME TO event_occurrences_unpartitioned`);
    await db.query(
      `ALTER INDEX correlator.event_occurrences_alert_idx RENAME TO event_occurrences_unpartitioned_alert_idx`,
    );
    await db.query(`
      CREATE TABLE correlator.event_occurrences (
        event_id text NOT NULL,
        alert_id uuid,
        fingerprint text NOT NULL,
        severity text NOT NULL,
        summary text NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        event jsonb NOT NULL,
        rule_set text,
        rule_set_version text,
        matched_rules text[] NOT NULL DEFAULT '{}'
      ) PARTITION BY RANGE (recorded_at)`);
    await db.query(
      `CREATE INDEX event_occurrences_alert_idx ON correlator.event_occurrences (alert_id, occurred_at DESC)`,
    );
    await db.query(
      `CREATE TABLE correlator.event_occurrences_default PARTITION OF correlator.event_occurrences DEFAULT`,
    );
    // One partition per UTC day present in the data, plus today and the next two days (what
    // housekeeping keeps ahead), so that the copied rows and today's inserts avoid the default.
    await db.query(`
      DO $$
      DECLARE
        day date;
      BEGIN
        FOR day IN
          SELECT DISTINCT (recorded_at AT TIME ZONE 'UTC')::date FROM correlator.event_occurrences_unpartitioned
          UNION
          SELECT (now() AT TIME ZONE 'UTC')::date + offs FROM generate_series(0, 2) AS offs
        LOOP
          EXECUTE format(
            'CREATE TABLE correlator.%I PARTITION OF correlator.event_occurrences FOR VALUES FROM (%L) TO (%L)',
            'event_occurrences_p' || to_char(day, 'YYYYMMDD'),
            to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00',
            to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
        END LOOP;
      END $$`);
    await db.query(`
      INSERT INTO correlator.event_occurrences (event_id, alert_id, fingerprint, severity, summary, occurred_at,
        received_at, recorded_at, event, rule_set, rule_set_version, matched_rules)
      SELECT event_id, alert_id, fingerprint, severity, summary, occurred_at, received_at, recorded_at, event,
             rule_set, rule_set_version, matched_rules
        FROM correlator.event_occurrences_unpartitioned`);

    // Written on every event: the primary key is what de-duplicates; recorded_at (indexed, always
    // increasing, so each insert appends to the index's last page) is what pruning deletes by.
    await db.query(`
      CREATE TABLE correlator.recorded_events (
        event_id text PRIMARY KEY,
        recorded_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE INDEX recorded_events_recorded_at_idx ON correlator.recorded_events (recorded_at)`,
    );
    await db.query(`
      INSERT INTO correlator.recorded_events (event_id, recorded_at)
      SELECT event_id, recorded_at FROM correlator.event_occurrences_unpartitioned`);
    await db.query(`DROP TABLE correlator.event_occurrences_unpartitioned`);

    // Closed alerts past CLOSED_ALERT_ARCHIVE_DAYS. No CHECK constraints copied: the archive must
    // accept whatever the live table accepted when the alert was closed, even after the lifecycle
    // widens its states. NOT NULL and defaults are copied by LIKE.
    await db.query(`
      CREATE TABLE correlator.alerts_archive (
        LIKE correlator.alerts INCLUDING DEFAULTS,
        archived_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT alerts_archive_pkey PRIMARY KEY (id)
      )`);
    await db.query(`CREATE INDEX alerts_archive_fingerprint_idx ON correlator.alerts_archive (fingerprint)`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Archived alerts go back to the live table: the archive is what this migration added.
    const alertColumns = (await db.query(
      `SELECT quote_ident(column_name) AS name FROM information_schema.columns
        WHERE table_schema = 'correlator' AND table_name = 'alerts' ORDER BY ordinal_position`,
    )) as { name: string }[];
    const columns = alertColumns.map((c) => c.name).join(', ');
    await db.query(
      `INSERT INTO correlator.alerts (${columns}) SELECT ${columns} FROM correlator.alerts_archive
       ON CONFLICT DO NOTHING`,
    );
    await db.query(`DROP TABLE correlator.alerts_archive`);
    await db.query(`
      CREATE TABLE correlator.event_occurrences_unpartitioned (
        event_id text PRIMARY KEY,
        alert_id uuid,
        fingerprint text NOT NULL,
        severity text NOT NULL,
        summary text NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        event jsonb NOT NULL,
        rule_set text,
        rule_set_version text,
        matched_rules text[] NOT NULL DEFAULT '{}'
      )`);
    await db.query(`
      INSERT INTO correlator.event_occurrences_unpartitioned SELECT * FROM correlator.event_occurrences
      ON CONFLICT (event_id) DO NOTHING`);
    // Occurrences whose alert was archived cannot satisfy the restored foreign key.
    await db.query(`
      DELETE FROM correlator.event_occurrences_unpartitioned o
       WHERE o.alert_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM correlator.alerts a WHERE a.id = o.alert_id)`);
    await db.query(`DROP TABLE correlator.event_occurrences`);
    await db.query(`DROP TABLE correlator.recorded_events`);
    await db.query(`ALTER TABLE correlator.event_occurrences_unpartitioned RENAME TO event_occurrences`);
    await db.query(
      `ALTER TABLE correlator.event_occurrences RENAME CONSTRAINT event_occurrences_unpartitioned_pkey TO event_occurrences_pkey`,
    );
    await db.query(`
      ALTER TABLE correlator.event_occurrences
        ADD CONSTRAINT event_occurrences_alert_id_fkey FOREIGN KEY (alert_id)
        REFERENCES correlator.alerts (id) ON DELETE CASCADE`);
    await db.query(
      `CREATE INDEX event_occurrences_alert_idx ON correlator.event_occurrences (alert_id, occurred_at DESC)`,
    );
  }
}
