import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents: the versioned correlation rule set, incidents (pending ones too, gathering alerts
 * towards a threshold), their member alerts and their history.
 */
export class Incidents1796600000000 implements MigrationInterface {
  name = 'Incidents1796600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE correlator.incident_rule_set_versions (
        version integer PRIMARY KEY,
        content text NOT NULL,
        format text NOT NULL,
        author text NOT NULL,
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        rolled_back_from integer
      )`);
    await db.query(`
      CREATE TABLE correlator.incidents (
        id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'open', 'acknowledged', 'resolved')),
        severity text NOT NULL,
        title text NOT NULL,
        rule_id uuid NOT NULL,
        rule_name text NOT NULL,
        rule_version integer NOT NULL,
        resolve_policy text NOT NULL,
        window_seconds integer NOT NULL,
        threshold integer NOT NULL,
        group_key text NOT NULL,
        group_labels jsonb NOT NULL,
        alert_count integer NOT NULL,
        firing_count integer NOT NULL,
        first_alert_id uuid NOT NULL,
        last_alert_id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        last_joined_at timestamptz NOT NULL,
        opened_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        sequence integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The live incident of a group: found by rule and key for every alert that could join it.
    await db.query(`
      CREATE INDEX incidents_live_group_idx ON correlator.incidents (rule_id, group_key)
        WHERE status <> 'resolved'`);
    await db.query(`CREATE INDEX incidents_opened_idx ON correlator.incidents (opened_at DESC, id DESC)`);
    // No foreign key to alerts: archiving alerts must not rewrite incidents.
    await db.query(`
      CREATE TABLE correlator.incident_alerts (
        incident_id uuid NOT NULL REFERENCES correlator.incidents (id) ON DELETE CASCADE,
        alert_id uuid NOT NULL,
        joined_at timestamptz NOT NULL,
        severity text NOT NULL,
        firing boolean NOT NULL,
        alert_sequence integer NOT NULL,
        PRIMARY KEY (incident_id, alert_id)
      )`);
    await db.query(`CREATE INDEX incident_alerts_alert_idx ON correlator.incident_alerts (alert_id)`);
    await db.query(`
      CREATE TABLE correlator.incident_history (
        incident_id uuid NOT NULL,
        sequence integer NOT NULL,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        alert_id uuid,
        reason text,
        command_id text,
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (incident_id, sequence)
      )`);
    await db.query(`
      CREATE INDEX incident_history_command_idx ON correlator.incident_history (incident_id, command_id)
        WHERE command_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE correlator.incident_history`);
    await db.query(`DROP TABLE correlator.incident_alerts`);
    await db.query(`DROP TABLE correlator.incidents`);
    await db.query(`DROP TABLE correlator.incident_rule_set_versions`);
  }
}
