import type { Pool } from 'pg';

/** Counters of the benchmark's database so far (statistics reach the views up to a second late). */
export interface PostgresActivity {
  commits: number;
  walBytes: number;
  rowsWritten: number;
  /** Rows inserted, updated and deleted per table (`schema.table`), partitions under their own names. */
  writesByTable: Record<string, number>;
  /**
   * Rows read by sequential scans, all tables: a lookup of a batch's few rows that scans a growing
   * table instead (a plan chosen while the table was small) shows here, growing with every run.
   */
  seqRowsRead: number;
}

export async function postgresActivity(pool: Pool): Promise<PostgresActivity> {
  const { rows } = await pool.query<{ commits: string; wal: string }>(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits,
            pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal`,
  );
  const { rows: tables } = await pool.query<{ name: string; written: string; seq_read: string }>(
    `SELECT schemaname || '.' || relname AS name, n_tup_ins + n_tup_upd + n_tup_del AS written,
            seq_tup_read AS seq_read
       FROM pg_stat_user_tables`,
  );
  const writesByTable = Object.fromEntries(tables.map((t) => [t.name, Number(t.written)]));
  return {
    commits: Number(rows[0].commits),
    walBytes: Number(rows[0].wal),
    rowsWritten: Object.values(writesByTable).reduce((a, b) => a + b, 0),
    writesByTable,
    seqRowsRead: tables.reduce((sum, t) => sum + Number(t.seq_read), 0),
  };
}

/** What the database did per item (event, alert) between two readings: the busiest tables first. */
export function postgresPer(
  before: PostgresActivity,
  after: PostgresActivity,
  items: number,
): {
  commits: number;
  walBytes: number;
  rows: number;
  rowsByTable: [string, number][];
  seqRowsRead: number;
} {
  const per = (value: number) => (items > 0 ? Math.round((value / items) * 100) / 100 : NaN);
  const rowsByTable = Object.entries(after.writesByTable)
    .map(([table, written]): [string, number] => [table, per(written - (before.writesByTable[table] ?? 0))])
    .filter(([, rows]) => rows > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    commits: per(after.commits - before.commits),
    walBytes: Math.round(per(after.walBytes - before.walBytes)),
    rows: per(after.rowsWritten - before.rowsWritten),
    rowsByTable,
    seqRowsRead: per(after.seqRowsRead - before.seqRowsRead),
  };
}
