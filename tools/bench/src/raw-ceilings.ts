import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsClient } from '@vigil/messaging';
import { Pool } from 'pg';
import { perSecond } from './stats';

const PAYLOAD = JSON.stringify({
  source: 'bench',
  node: 'host-000000.bench.example',
  type: 'FilesystemFull',
  summary: 'Filesystem /var on host 0 is 97% full',
  severity: 'major',
  labels: { mount: '/var', team: 'team-0', env: 'bench' },
});

/**
 * JetStream publish with PubAck from one Node publisher into a fresh file stream, pipelined
 * (`window` publishes in flight) and each with a `Nats-Msg-Id`, as the pipeline publishes.
 */
export async function jetStreamPublishCeiling(
  client: NatsClient,
  messages: number,
  window = 256,
): Promise<number> {
  const name = client.space.stream('BENCH_CEILING');
  const subject = `${client.space.prefix}.bench.ceiling`;
  await client.jsm.streams.add({
    name,
    subjects: [subject],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  });
  try {
    const started = performance.now();
    for (let sent = 0; sent < messages;) {
      const batch: Promise<unknown>[] = [];
      for (let i = 0; i < window && sent < messages; i++, sent++) {
        batch.push(client.js.publish(subject, PAYLOAD, { msgID: `ceiling-${sent}` }));
      }
      await Promise.all(batch);
    }
    return perSecond(messages, performance.now() - started);
  } finally {
    await client.jsm.streams.delete(name);
  }
}

/**
 * Batched upserts into a plain table shaped like the alert tally: `rows` rows over `keys` keys,
 * `batch` rows per statement through `unnest`, `connections` statements in flight.
 */
export async function postgresUpsertCeiling(
  databaseUrl: string,
  rows: number,
  { keys = Math.max(1, Math.floor(rows * 0.13)), batch = 200, connections = 4 } = {},
): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  try {
    await pool.query(
      'CREATE TABLE bench_upsert_ceiling (fingerprint text PRIMARY KEY, tally integer NOT NULL, last_seen timestamptz NOT NULL)',
    );
    const statement = {
      name: 'bench-upsert',
      text: `INSERT INTO bench_upsert_ceiling AS t (fingerprint, tally, last_seen)
             SELECT f, 1, now() FROM unnest($1::text[]) AS f
             ON CONFLICT (fingerprint) DO UPDATE SET tally = t.tally + 1, last_seen = excluded.last_seen`,
    };
    // Within one statement a key may appear once only (ON CONFLICT cannot touch a row twice).
    const batches: string[][] = [];
    for (let start = 0, n = 0; start < rows; start += batch) {
      const keysInBatch = new Set<string>();
      for (let i = start; i < Math.min(rows, start + batch); i++) keysInBatch.add(`fp-${n++ % keys}`);
      batches.push([...keysInBatch]);
    }
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < batches.length) {
          const mine = batches[next++];
          await pool.query({ ...statement, values: [mine] });
        }
      }),
    );
    const written = batches.reduce((total, b) => total + b.length, 0);
    return perSecond(written, performance.now() - started);
  } finally {
    await pool.query('DROP TABLE IF EXISTS bench_upsert_ceiling').catch(() => undefined);
    await pool.end();
  }
}
