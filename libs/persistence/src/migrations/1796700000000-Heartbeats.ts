import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Heartbeats (missing-event detection): definitions and their state in one row each — the last
 * matching event, the next deadline, and the miss in progress — so deadlines survive restarts.
 */
export class Heartbeats1796700000000 implements MigrationInterface {
  name = 'Heartbeats1796700000000';

  async up(db: QueryRunner): Promise<void> {
    // Few rows, updated by every batch holding a matching event: free space keeps those updates
    // in their page.
    await db.query(`
      CREATE TABLE correlator.heartbeats (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        matchers text[] NOT NULL,
        interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
        schedule jsonb,
        severity text NOT NULL DEFAULT 'major'
          CHECK (severity IN ('critical', 'major', 'minor', 'warning', 'indeterminate')),
        node text,
        service text,
        labels jsonb NOT NULL DEFAULT '{}',
        comment text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        deadline_at timestamptz,
        missing_since timestamptz,
        misses integer NOT NULL DEFAULT 0,
        alert_id uuid,
        CHECK (missing_since IS NULL OR deadline_at IS NULL)
      ) WITH (fillfactor = 75)`);
    // The poll claims due rows by deadline.
    await db.query(`
      CREATE INDEX heartbeats_deadline_idx ON correlator.heartbeats (deadline_at)
        WHERE deadline_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE correlator.heartbeats`);
  }
}
