import { MigrationInterface, QueryRunner } from 'typeorm';

/** The classifier's rule set history and lookup tables, in a schema of their own. */
export class ClassifierRules1796000000000 implements MigrationInterface {
  name = 'ClassifierRules1796000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS classifier`);
    await db.query(`
      CREATE TABLE classifier.rule_set_versions (
        version integer PRIMARY KEY CHECK (version > 0),
        content text NOT NULL,
        format text NOT NULL CHECK (format IN ('yaml', 'json')),
        author text NOT NULL CHECK (length(author) BETWEEN 1 AND 128),
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        rolled_back_from integer REFERENCES classifier.rule_set_versions (version),
        CHECK (rolled_back_from < version)
      )`);
    await db.query(`
      CREATE TABLE classifier.lookup_table_versions (
        name text NOT NULL CHECK (name ~ '^[A-Za-z_][A-Za-z0-9_-]{0,63}$'),
        version integer NOT NULL CHECK (version > 0),
        content text NOT NULL,
        format text NOT NULL CHECK (format IN ('csv', 'json')),
        key_column text NOT NULL,
        author text NOT NULL CHECK (length(author) BETWEEN 1 AND 128),
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (name, version)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE classifier.lookup_table_versions`);
    await db.query(`DROP TABLE classifier.rule_set_versions`);
    await db.query(`DROP SCHEMA classifier`);
  }
}
