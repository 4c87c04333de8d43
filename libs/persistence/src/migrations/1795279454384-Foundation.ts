import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first tables: one schema per owning service. Status and severity are checked by the database
 * too, so that no writer, however buggy, can store a state the contracts do not know.
 */
export class Foundation1795279454384 implements MigrationInterface {
  name = 'Foundation1795279454384';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS correlator`);
    await db.query(`CREATE SCHEMA IF NOT EXISTS notifier`);

    await db.query(`
      CREATE TABLE correlator.alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fingerprint text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'closed')),
        severity text NOT NULL
          CHECK (severity IN ('critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared')),
        previous_severity text
          CHECK (previous_severity IN ('critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared')),
        tally integer NOT NULL CHECK (tally > 0),
        first_occurrence timestamptz NOT NULL,
        last_occurrence timestamptz NOT NULL,
        summary text NOT NULL,
        node text NOT NULL,
        source text NOT NULL,
        type text NOT NULL,
        category text NOT NULL,
        service text,
        environment text,
        labels jsonb NOT NULL DEFAULT '{}'::jsonb,
        last_event_id text NOT NULL,
        sequence integer NOT NULL CHECK (sequence > 0),
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT alerts_fingerprint_key UNIQUE (fingerprint)
      ) WITH (fillfactor = 75)`);
    // Every repeat of a problem updates its alert (tally, last occurrence, summary). No index covers
    // those columns, and pages keep a quarter free, so those updates are HOT: no index writes, and
    // old versions are pruned in the page without waiting for vacuum. Hence no index on
    // last_occurrence: the query API sorts the (filtered) alerts instead.
    await db.query(`CREATE INDEX alerts_status_idx ON correlator.alerts (status)`);
    await db.query(`CREATE INDEX alerts_source_idx ON correlator.alerts (source)`);
    await db.query(`CREATE INDEX alerts_node_idx ON correlator.alerts (node)`);

    await db.query(`
      CREATE TABLE correlator.event_occurrences (
        event_id text PRIMARY KEY,
        alert_id uuid REFERENCES correlator.alerts (id) ON DELETE CASCADE,
        fingerprint text NOT NULL,
        severity text NOT NULL,
        summary text NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        event jsonb NOT NULL
      )`);
    await db.query(
      `CREATE INDEX event_occurrences_alert_idx ON correlator.event_occurrences (alert_id, occurred_at DESC)`,
    );

    await db.query(`
      CREATE TABLE correlator.outbox (
        id bigserial PRIMARY KEY,
        family text NOT NULL,
        token text NOT NULL,
        msg_id text NOT NULL CONSTRAINT outbox_msg_id_key UNIQUE,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE notifier.notification_log (
        id bigserial PRIMARY KEY,
        dedup_key text NOT NULL CONSTRAINT notification_log_dedup_key_key UNIQUE,
        alert_id uuid NOT NULL,
        alert_sequence integer NOT NULL,
        change text NOT NULL,
        channel text NOT NULL,
        target text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      ) WITH (fillfactor = 75)`);
    await db.query(`CREATE INDEX notification_log_alert_idx ON notifier.notification_log (alert_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notifier.notification_log`);
    await db.query(`DROP TABLE correlator.outbox`);
    await db.query(`DROP TABLE correlator.event_occurrences`);
    await db.query(`DROP TABLE correlator.alerts`);
    await db.query(`DROP SCHEMA notifier`);
    await db.query(`DROP SCHEMA correlator`);
  }
}
