import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts carry the priority and team of their events, so the notifier can route on them. Both are
 * nullable: alerts opened before this migration have neither, and not every event names a team.
 */
export class AlertPriorityTeam1796900000000 implements MigrationInterface {
  name = 'AlertPriorityTeam1796900000000';

  async up(db: QueryRunner): Promise<void> {
    // Adding nullable columns without a default rewrites nothing: instant on a large table.
    await db.query(`
      ALTER TABLE correlator.alerts
        ADD COLUMN priority text CONSTRAINT alerts_priority_check CHECK (priority IN ('P1', 'P2', 'P3', 'P4', 'P5')),
        ADD COLUMN team text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE correlator.alerts DROP COLUMN team, DROP COLUMN priority`);
  }
}
