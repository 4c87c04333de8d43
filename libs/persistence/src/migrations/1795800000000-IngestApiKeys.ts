import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys of HTTP producers, owned by ingest. */
export class IngestApiKeys1795800000000 implements MigrationInterface {
  name = 'IngestApiKeys1795800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS ingest`);
    await db.query(`
      CREATE TABLE ingest.api_keys (
        id text PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
        secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
        sources text[] NOT NULL CHECK (cardinality(sources) > 0),
        rate_per_second integer CHECK (rate_per_second > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ingest.api_keys`);
    await db.query(`DROP SCHEMA ingest`);
  }
}
