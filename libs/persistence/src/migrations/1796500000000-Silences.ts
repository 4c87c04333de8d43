import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintenance windows and inhibition rules (definitions, few rows, loaded into memory by every
 * correlator), the alert columns saying what silences an alert, and the silencing timers.
 */
export class Silences1796500000000 implements MigrationInterface {
  name = 'Silences1796500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE correlator.maintenance_windows (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        matchers text[] NOT NULL,
        "window" jsonb NOT NULL,
        comment text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE correlator.inhibit_rules (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        source_matchers text[] NOT NULL,
        target_matchers text[] NOT NULL,
        equal text[] NOT NULL DEFAULT '{}',
        comment text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // No foreign keys: a deleted window or a resolved source is released by the next reconcile,
    // which needs to see the stale id.
    await db.query(`
      ALTER TABLE correlator.alerts
        ADD COLUMN suppressed_by uuid,
        ADD COLUMN inhibited_by uuid`);
    // Reconciling looks at silenced alerts besides the active ones.
    await db.query(`
      CREATE INDEX alerts_silenced_idx ON correlator.alerts (id)
        WHERE suppressed_by IS NOT NULL OR inhibited_by IS NOT NULL`);
    await db.query(`
      CREATE TABLE correlator.silence_timers (
        subject text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('window_change', 'window_ending', 'reconcile')),
        due_at timestamptz NOT NULL,
        PRIMARY KEY (subject, kind)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE correlator.silence_timers`);
    await db.query(`DROP INDEX correlator.alerts_silenced_idx`);
    await db.query(`ALTER TABLE correlator.alerts DROP COLUMN suppressed_by, DROP COLUMN inhibited_by`);
    await db.query(`DROP TABLE correlator.inhibit_rules`);
    await db.query(`DROP TABLE correlator.maintenance_windows`);
  }
}
