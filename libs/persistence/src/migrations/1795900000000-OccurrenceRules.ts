import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which rules decided each occurrence, in which rule set version, as columns rather than only inside
 * the stored event, so traceability queries need no JSON digging. No index: every event inserts an
 * occurrence, and rule hit counts come from the classifier's metrics, not from scanning this table.
 */
export class OccurrenceRules1795900000000 implements MigrationInterface {
  name = 'OccurrenceRules1795900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE correlator.event_occurrences
        ADD COLUMN rule_set text,
        ADD COLUMN rule_set_version text,
        ADD COLUMN matched_rules text[] NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE correlator.event_occurrences
        DROP COLUMN rule_set, DROP COLUMN rule_set_version, DROP COLUMN matched_rules`);
  }
}
