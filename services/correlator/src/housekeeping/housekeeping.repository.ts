import { Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { missingArchiveColumns, PartitionToCreate, TableColumn } from './retention-plan';

/** Any fixed number, the same in every replica: the session-level advisory lock of a pass. */
export const HOUSEKEEPING_LOCK_KEY = 0x76_69_67_68; // "vigh"
/**
 * DDL on the occurrences table queues behind the correlator's open transactions, and inserts
 * queue behind it; a pass that cannot get its lock quickly gives up and tries at the next pass
 * rather than stalling the hot path.
 */
const DDL_LOCK_TIMEOUT = '3s';
/** Rows per delete or archive statement: bounded transactions, and no long lock on the alerts. */
export const HOUSEKEEPING_BATCH = 10_000;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (at: Date) => `'${at.toISOString()}'`;

/**
 * Housekeeping's SQL, on one dedicated connection: the pass holds a session-level advisory lock
 * on it for its whole duration, while each step commits on its own.
 */
export class HousekeepingSession {
  constructor(private readonly runner: QueryRunner) {}

  /** False when another replica (or process) is in a pass right now. */
  async tryLock(): Promise<boolean> {
    const [row] = await this.rows<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      HOUSEKEEPING_LOCK_KEY,
    ]);
    return row.locked;
  }

  async unlock(): Promise<void> {
    await this.runner.query('SELECT pg_advisory_unlock($1)', [HOUSEKEEPING_LOCK_KEY]);
  }

  /** Names of the occurrence table's partitions, the default one included. */
  async partitions(): Promise<string[]> {
    const rows = await this.rows<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'correlator.event_occurrences'::regclass`,
    );
    return rows.map((r) => r.name);
  }

  /**
   * Creates the partition as a plain table and attaches it, which takes only a SHARE UPDATE
   * EXCLUSIVE lock on the parent (CREATE TABLE … PARTITION OF would block every insert while
   * waiting for it). Rows the default partition holds for that day are moved in first: attaching
   * fails while the default holds any. The default is locked first so no insert lands there in
   * between; ATTACH would lock it the same way to scan it.
   */
  async createPartition(partition: PartitionToCreate): Promise<number> {
    return this.transaction(async () => {
      await this.runner.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
      await this.runner.query('LOCK TABLE correlator.event_occurrences_default IN ACCESS EXCLUSIVE MODE');
      const table = `correlator.${quoteIdent(partition.name)}`;
      await this.runner.query(`CREATE TABLE ${table} (LIKE correlator.event_occurrences INCLUDING DEFAULTS)`);
      const moved = await this.rows<{ moved: number }>(
        `WITH moved AS (
           DELETE FROM correlator.event_occurrences_default WHERE recorded_at >= $1 AND recorded_at < $2
           RETURNING *)
         INSERT INTO ${table} SELECT * FROM moved RETURNING 1 AS moved`,
        [partition.from, partition.to],
      );
      await this.runner.query(
        `ALTER TABLE correlator.event_occurrences ATTACH PARTITION ${table}
           FOR VALUES FROM (${literal(partition.from)}) TO (${literal(partition.to)})`,
      );
      return moved.length;
    });
  }

  /** Dropping a partition takes an ACCESS EXCLUSIVE lock on the parent, for a moment. */
  async dropPartition(name: string): Promise<void> {
    await this.transaction(async () => {
      await this.runner.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
      await this.runner.query(`DROP TABLE correlator.${quoteIdent(name)}`);
    });
  }

  /** Deletes default-partition rows recorded before `before`: the default is never dropped. */
  async pruneDefaultPartition(before: Date): Promise<number> {
    return this.deleteInBatches(
      `DELETE FROM correlator.event_occurrences_default WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM correlator.event_occurrences_default WHERE recorded_at < $1 LIMIT $2))`,
      before,
    );
  }

  async pruneRecordedEvents(before: Date): Promise<number> {
    return this.deleteInBatches(
      `DELETE FROM correlator.recorded_events WHERE event_id IN (
         SELECT event_id FROM correlator.recorded_events WHERE recorded_at < $1 ORDER BY recorded_at LIMIT $2)`,
      before,
    );
  }

  /**
   * Moves closed alerts last changed before `before` into the archive, with every column the live
   * table has: the archive first gains any column added to `alerts` since (see
   * `missingArchiveColumns`). Alerts a correlator batch holds locked are left for the next pass.
   */
  async archiveClosedAlerts(before: Date): Promise<number> {
    const live = await this.columns('alerts');
    const missing = missingArchiveColumns(live, await this.columns('alerts_archive'));
    if (missing.length) {
      await this.runner.query(
        `ALTER TABLE correlator.alerts_archive
           ${missing.map((c) => `ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`).join(', ')}`,
      );
    }
    const columns = live.map((c) => quoteIdent(c.name)).join(', ');
    return this.deleteInBatches(
      `WITH due AS (
         SELECT id FROM correlator.alerts WHERE status = 'closed' AND updated_at < $1
          ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
       ), archived AS (
         DELETE FROM correlator.alerts a USING due WHERE a.id = due.id RETURNING a.*
       )
       INSERT INTO correlator.alerts_archive (${columns}, archived_at)
       SELECT ${columns}, now() FROM archived`,
      before,
    );
  }

  private columns(table: string): Promise<TableColumn[]> {
    return this.rows<TableColumn>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = ('correlator.' || quote_ident($1))::regclass AND attnum > 0 AND NOT attisdropped
        ORDER BY attnum`,
      [table],
    );
  }

  /** Runs a `$1 = before, $2 = limit` statement until it affects fewer rows than the limit. */
  private async deleteInBatches(sql: string, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const affected = await this.transaction(async () => {
        const result = await this.runner.query(sql, [before, HOUSEKEEPING_BATCH], true);
        return result.affected ?? 0;
      });
      total += affected;
      if (affected < HOUSEKEEPING_BATCH) return total;
    }
  }

  /** TypeORM's `query` is untyped; every caller here names the columns it selects. */
  private async rows<R>(sql: string, parameters: unknown[] = []): Promise<R[]> {
    return (await this.runner.query(sql, parameters)) as R[];
  }

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.runner.startTransaction();
    try {
      const result = await work();
      await this.runner.commitTransaction();
      return result;
    } catch (error) {
      await this.runner.rollbackTransaction();
      throw error;
    }
  }
}

@Injectable()
export class HousekeepingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` on a connection of its own, released afterwards (which also ends any session lock). */
  async session<T>(work: (session: HousekeepingSession) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await work(new HousekeepingSession(runner));
    } finally {
      await runner.release();
    }
  }
}
