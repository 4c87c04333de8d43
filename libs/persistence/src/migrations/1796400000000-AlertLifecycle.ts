import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `('open', 'acknowledged', 'resolved', 'closed')`;
const STATUSES = `('open', 'acknowledged', 'snoozed', 'resolved', 'expired', 'closed')`;

/**
 * The alert lifecycle: snoozed and expired statuses, trend, a bounded list of recent occurrence
 * times, assignment, flapping, the audit history of every transition, and timers that live in the
 * database so that any replica fires them, once, after any restart.
 *
 * The fingerprint is unique only among alerts that are not closed: once the reopen window has passed
 * the alert is closed and the next problem with that fingerprint opens a new alert.
 */
export class AlertLifecycle1796400000000 implements MigrationInterface {
  name = 'AlertLifecycle1796400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE correlator.alerts DROP CONSTRAINT alerts_status_check`);
    await db.query(`
      ALTER TABLE correlator.alerts
        ADD CONSTRAINT alerts_status_check CHECK (status IN ${STATUSES}),
        ADD COLUMN trend text NOT NULL DEFAULT 'no_change'
          CHECK (trend IN ('more_severe', 'less_severe', 'no_change')),
        ADD COLUMN recent_occurrences timestamptz[] NOT NULL DEFAULT '{}',
        ADD COLUMN assignee text,
        ADD COLUMN snoozed_until timestamptz,
        ADD COLUMN status_before_snooze text CHECK (status_before_snooze IN ('open', 'acknowledged')),
        ADD COLUMN timeout_seconds integer NOT NULL DEFAULT 0 CHECK (timeout_seconds >= 0),
        ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN flapping boolean NOT NULL DEFAULT false,
        ADD COLUMN flap_transitions timestamptz[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE correlator.alerts DROP CONSTRAINT alerts_fingerprint_key`);
    await db.query(`
      CREATE UNIQUE INDEX alerts_fingerprint_live_key ON correlator.alerts (fingerprint)
        WHERE status <> 'closed'`);
    // Problem/resolution pairing looks up the active alerts of a problem type.
    await db.query(`
      CREATE INDEX alerts_active_type_idx ON correlator.alerts (type)
        WHERE status IN ('open', 'acknowledged', 'snoozed')`);

    // No foreign key: the audit trail outlives the alert row, which housekeeping moves to
    // alerts_archive (keeping its id) once it has been closed long enough.
    await db.query(`
      CREATE TABLE correlator.alert_history (
        alert_id uuid NOT NULL,
        sequence integer NOT NULL CHECK (sequence > 0),
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        from_status text CHECK (from_status IN ${STATUSES}),
        to_status text NOT NULL CHECK (to_status IN ${STATUSES}),
        reason text,
        event_id text,
        command_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (alert_id, sequence)
      )`);
    await db.query(`
      CREATE UNIQUE INDEX alert_history_command_key ON correlator.alert_history (alert_id, command_id)
        WHERE command_id IS NOT NULL`);

    // Every batch that counts a repeat pushes its alert's expiry back. Without an index on due_at
    // those updates are HOT (no index entries, pruned in the page); the poll's scan instead reads a
    // table of one row per active alert and timer kind, once a second per replica.
    await db.query(`
      CREATE TABLE correlator.timers (
        alert_id uuid NOT NULL REFERENCES correlator.alerts (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('expire', 'unsnooze', 'close', 'flap_check')),
        due_at timestamptz NOT NULL,
        PRIMARY KEY (alert_id, kind)
      ) WITH (fillfactor = 70)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE correlator.timers`);
    await db.query(`DROP TABLE correlator.alert_history`);
    await db.query(`DROP INDEX correlator.alerts_active_type_idx`);
    // Closed alerts that share a fingerprint with a newer one cannot survive the old constraint.
    await db.query(`
      DELETE FROM correlator.alerts a
       WHERE a.status = 'closed'
         AND EXISTS (SELECT 1 FROM correlator.alerts b WHERE b.fingerprint = a.fingerprint AND b.id <> a.id
                        AND (b.status <> 'closed' OR b.created_at > a.created_at))`);
    await db.query(`DROP INDEX correlator.alerts_fingerprint_live_key`);
    await db.query(
      `ALTER TABLE correlator.alerts ADD CONSTRAINT alerts_fingerprint_key UNIQUE (fingerprint)`,
    );
    await db.query(`UPDATE correlator.alerts SET status = 'open' WHERE status = 'snoozed'`);
    await db.query(`UPDATE correlator.alerts SET status = 'resolved' WHERE status = 'expired'`);
    await db.query(`ALTER TABLE correlator.alerts DROP CONSTRAINT alerts_status_check`);
    await db.query(`
      ALTER TABLE correlator.alerts
        ADD CONSTRAINT alerts_status_check CHECK (status IN ${STATUSES_BEFORE}),
        DROP COLUMN trend, DROP COLUMN recent_occurrences, DROP COLUMN assignee, DROP COLUMN snoozed_until,
        DROP COLUMN status_before_snooze, DROP COLUMN timeout_seconds, DROP COLUMN status_changed_at, DROP COLUMN last_seen_at,
        DROP COLUMN flapping, DROP COLUMN flap_transitions`);
  }
}
