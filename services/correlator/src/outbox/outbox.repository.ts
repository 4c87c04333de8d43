import { Injectable } from '@nestjs/common';
import type { AlertChangedV1, IncidentChangedV1 } from '@vigil/contracts';
import { Sql, SqlPool, statement } from '@vigil/persistence';
import { GroupWrite } from '@vigil/runtime';

/** A change to announce, written in the transaction that made it. */
export interface OutboxMessage<
  P extends AlertChangedV1 | IncidentChangedV1 = AlertChangedV1 | IncidentChangedV1,
> {
  family: string;
  token: string;
  msgId: string;
  payload: P;
  headers: Record<string, string>;
}

export interface OutboxRow {
  id: string;
  family: string;
  token: string;
  msg_id: string;
  payload: unknown;
  headers: Record<string, string>;
}

// Only rows past their lease: a younger row is its writer's to publish the moment it commits.
const CLAIM = statement(
  'outbox-claim',
  `SELECT id, family, token, msg_id, payload, headers FROM correlator.outbox
    WHERE created_at < now() - $2 * interval '1 millisecond'
    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
);

/** The INSERT of outbox rows from the JSON array parameter `rows` (`outboxRecords`), for a larger statement. */
export const outboxInsert = (
  rows: string,
) => `INSERT INTO correlator.outbox (family, token, msg_id, payload, headers)
   SELECT family, token, msg_id, payload, headers
     FROM jsonb_to_recordset(${rows}::jsonb) AS r(family text, token text, msg_id text, payload jsonb, headers jsonb)`;

/** Messages as the JSON array `outboxInsert` reads. */
export function outboxRecords(messages: readonly OutboxMessage[]): string {
  return JSON.stringify(
    messages.map((m) => ({
      family: m.family,
      token: m.token,
      msg_id: m.msgId,
      payload: m.payload,
      headers: m.headers,
    })),
  );
}

const INSERT = statement('correlator-insert-outbox', outboxInsert('$1'));

/** Queues messages inside the caller's transaction (one statement for all), to publish once it commits. */
export async function insertOutbox(sql: Sql, messages: readonly OutboxMessage[]): Promise<void> {
  if (!messages.length) return;
  await sql.query(INSERT, [outboxRecords(messages)]);
}

const REMOVE = statement('outbox-remove', 'DELETE FROM correlator.outbox WHERE id = ANY($1::bigint[])');

const REMOVE_PUBLISHED = statement(
  'outbox-remove-published',
  'DELETE FROM correlator.outbox WHERE msg_id = ANY($1::text[])',
);

/**
 * Every row still in the table is unpublished: whoever publishes a row (its writer, or the relay)
 * deletes it (rows being published right now count too). The age is
 * measured on the database's clock, the one that stamped `created_at`.
 */
const BACKLOG = statement(
  'outbox-backlog',
  `SELECT count(*)::int AS pending,
          COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
     FROM correlator.outbox`,
);

/** Messages committed but not yet relayed. */
export interface OutboxBacklog {
  pending: number;
  /** Age of the oldest of them; 0 when there are none. */
  oldestAgeSeconds: number;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: SqlPool) {}

  // Writers publish their rows one batch at a time, each wanting them gone: the removals that
  // come while one is written go out together.
  private readonly removals = new GroupWrite<string[]>(async (batches) => {
    await this.sql.query(REMOVE_PUBLISHED, [batches.flat()]);
  });

  /**
   * Claims up to `limit` of the oldest rows older than `leaseMs` (skipping rows another relay
   * holds), hands them to `publish`, and deletes them in the same transaction once it resolves. If
   * `publish` throws, the rows stay for the next attempt.
   */
  relay(limit: number, leaseMs: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.sql.transaction(async (sql) => {
      const rows = await sql.query<OutboxRow>(CLAIM, [limit, leaseMs]);
      if (!rows.length) return 0;
      await publish(rows);
      await sql.query(REMOVE, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Deletes the rows of these published messages (with any others removed meanwhile). */
  removePublished(msgIds: readonly string[]): Promise<void> {
    return this.removals.add([...msgIds]);
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.sql.query<{ pending: number; oldest_age_seconds: number }>(BACKLOG);
    return { pending: row.pending, oldestAgeSeconds: Math.max(0, row.oldest_age_seconds) };
  }
}
