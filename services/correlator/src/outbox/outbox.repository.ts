import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OutboxRow {
  id: string;
  family: string;
  token: string;
  msg_id: string;
  payload: unknown;
  headers: Record<string, string>;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` of the oldest rows (skipping rows another relay holds), hands them to
   * `publish`, and deletes them in the same transaction once it resolves. If `publish` throws, the
   * rows stay for the next attempt.
   */
  relay(limit: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (db) => {
      const rows: OutboxRow[] = await db.query(
        `SELECT id, family, token, msg_id, payload, headers FROM correlator.outbox
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (!rows.length) return 0;
      await publish(rows);
      await db.query('DELETE FROM correlator.outbox WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
