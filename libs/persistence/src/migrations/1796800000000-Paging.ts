import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Paging: the notifier's configuration (users, channels, schedules, escalation policies, the
 * routing tree), the pages it escalates, their escalation steps, and the delivery log.
 */
export class Paging1796800000000 implements MigrationInterface {
  name = 'Paging1796800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notifier.config_objects (
        kind text NOT NULL
          CHECK (kind IN ('user', 'channel', 'schedule', 'escalation_policy', 'routing_tree')),
        id text NOT NULL,
        body jsonb NOT NULL,
        revision integer NOT NULL CHECK (revision > 0),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, id)
      )`);
    // Every save and delete, in order: its id is the configuration's version, which replicas compare.
    await db.query(`
      CREATE TABLE notifier.config_history (
        version bigserial PRIMARY KEY,
        kind text NOT NULL,
        object_id text NOT NULL,
        revision integer NOT NULL,
        body jsonb,
        changed_by text NOT NULL,
        comment text,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX config_history_object_idx ON notifier.config_history (kind, object_id)`);

    // A page is what escalates: the alerts or incidents one route groups together (group_by).
    // An episode runs from its first firing member to its resolution; a page that fires again
    // after resolving starts a new episode, which notifies and escalates from the start.
    await db.query(`
      CREATE TABLE notifier.pages (
        id uuid PRIMARY KEY,
        route_id text NOT NULL,
        group_key text NOT NULL,
        group_labels jsonb NOT NULL,
        policy_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('triggered', 'acknowledged', 'quiet', 'resolved')),
        episode integer NOT NULL DEFAULT 1,
        title text NOT NULL,
        severity text NOT NULL,
        opened_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        last_notified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pages_group_key UNIQUE (route_id, group_key)
      ) WITH (fillfactor = 80)`);
    await db.query(`CREATE INDEX pages_open_idx ON notifier.pages (status) WHERE status <> 'resolved'`);

    await db.query(`
      CREATE TABLE notifier.page_members (
        page_id uuid NOT NULL REFERENCES notifier.pages (id) ON DELETE CASCADE,
        subject_kind text NOT NULL CHECK (subject_kind IN ('alert', 'incident')),
        subject_id uuid NOT NULL,
        sequence integer NOT NULL,
        state text NOT NULL CHECK (state IN ('firing', 'acknowledged', 'resolved', 'quiet')),
        quiet_reason text,
        snapshot jsonb NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (page_id, subject_kind, subject_id)
      ) WITH (fillfactor = 80)`);
    await db.query(
      `CREATE INDEX page_members_subject_idx ON notifier.page_members (subject_kind, subject_id)`,
    );

    // Escalation steps are rows so they outlive the process: a poller claims due ones with
    // FOR UPDATE SKIP LOCKED, so each fires once however many replicas poll.
    await db.query(`
      CREATE TABLE notifier.escalation_steps (
        id bigserial PRIMARY KEY,
        page_id uuid NOT NULL REFERENCES notifier.pages (id) ON DELETE CASCADE,
        episode integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('notify', 'update', 'repeat', 'acknowledged', 'resolved')),
        round integer NOT NULL DEFAULT 0,
        level integer NOT NULL DEFAULT 0,
        seq integer NOT NULL DEFAULT 0,
        due_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'done', 'cancelled')),
        outcome text,
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        CONSTRAINT escalation_steps_once UNIQUE (page_id, episode, kind, round, level, seq)
      )`);
    await db.query(
      `CREATE INDEX escalation_steps_due_idx ON notifier.escalation_steps (due_at) WHERE status = 'pending'`,
    );
    await db.query(`CREATE INDEX escalation_steps_page_idx ON notifier.escalation_steps (page_id, episode)`);

    // One row per notification that must exist, unique on page, episode, step and target.
    await db.query(`
      CREATE TABLE notifier.deliveries (
        id bigserial PRIMARY KEY,
        dedup_key text NOT NULL CONSTRAINT deliveries_dedup_key UNIQUE,
        page_id uuid REFERENCES notifier.pages (id) ON DELETE SET NULL,
        episode integer,
        step_id bigint,
        kind text NOT NULL,
        target text NOT NULL,
        channel_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_error text,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      ) WITH (fillfactor = 75)`);
    await db.query(
      `CREATE INDEX deliveries_due_idx ON notifier.deliveries (next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );
    await db.query(`CREATE INDEX deliveries_page_idx ON notifier.deliveries (page_id, episode)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notifier.deliveries`);
    await db.query(`DROP TABLE notifier.escalation_steps`);
    await db.query(`DROP TABLE notifier.page_members`);
    await db.query(`DROP TABLE notifier.pages`);
    await db.query(`DROP TABLE notifier.config_history`);
    await db.query(`DROP TABLE notifier.config_objects`);
  }
}
