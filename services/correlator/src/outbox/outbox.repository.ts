import { Injectable } from '@nestjs/common';
import { SqlPool, statement } from '@vigil/persistence';

export interface OutboxRow {
  id: string;
  family: string;
  token: string;
  msg_id: string;
  payload: unknown;
  headers: Record<string, string>;
}

const CLAIM = statement(
  'outbox-claim',
  `SELECT id, family, token, msg_id, payload, headers FROM correlator.outbox
    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
);

const REMOVE = statement('outbox-remove', 'DELETE FROM correlator.outbox WHERE id = ANY($1::bigint[])');

@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: SqlPool) {}

  /**
   * Claims up to `limit` of the oldest rows (skipping rows another relay holds), hands them to
   * `publish`, and deletes them in the same transaction once it resolves. If `publish` throws, the
   * rows stay for the next attempt.
   */
  relay(limit: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.sql.transaction(async (sql) => {
      const rows = await sql.query<OutboxRow>(CLAIM, [limit]);
      if (!rows.length) return 0;
      await publish(rows);
      await sql.query(REMOVE, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
