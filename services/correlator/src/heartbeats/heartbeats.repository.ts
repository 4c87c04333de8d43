import { Injectable } from '@nestjs/common';
import { Sql, SqlPool, statement } from '@vigil/persistence';
import type { HeartbeatDefinition, HeartbeatRow } from './heartbeats.rows';

/** A heartbeat as Postgres returns it (`HeartbeatRow` under the table's column names). */
interface HeartbeatColumns {
  id: string;
  name: string;
  matchers: string[];
  interval_seconds: number;
  schedule: Record<string, unknown> | null;
  severity: HeartbeatRow['severity'];
  node: string | null;
  service: string | null;
  labels: Record<string, string>;
  comment: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  last_seen_at: Date | null;
  deadline_at: Date | null;
  missing_since: Date | null;
  misses: number;
  alert_id: string | null;
}

const toRow = (r: HeartbeatColumns): HeartbeatRow => ({
  id: r.id,
  name: r.name,
  matchers: r.matchers,
  intervalSeconds: r.interval_seconds,
  schedule: r.schedule,
  severity: r.severity,
  node: r.node,
  service: r.service,
  labels: r.labels,
  comment: r.comment,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastSeenAt: r.last_seen_at,
  deadlineAt: r.deadline_at,
  missingSince: r.missing_since,
  misses: r.misses,
  alertId: r.alert_id,
});

const ALL = statement('correlator-all-heartbeats', 'SELECT * FROM correlator.heartbeats ORDER BY id');
const GET = statement('correlator-get-heartbeat', 'SELECT * FROM correlator.heartbeats WHERE id = $1');

// In id order, so batches holding several heartbeats cannot deadlock on each other.
const LOCK = statement(
  'correlator-lock-heartbeats',
  'SELECT * FROM correlator.heartbeats WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
);

// A heartbeat a batch holds is skipped, not waited for: that batch is moving its deadline.
const CLAIM_DUE = statement(
  'correlator-claim-due-heartbeats',
  `SELECT * FROM correlator.heartbeats WHERE deadline_at <= $1
    ORDER BY deadline_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
);

const INSERT = statement(
  'correlator-insert-heartbeat',
  `INSERT INTO correlator.heartbeats (id, name, matchers, interval_seconds, schedule, severity, node, service,
     labels, comment, created_by, created_at, updated_at, deadline_at)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
   RETURNING *`,
);

const UPDATE = statement(
  'correlator-update-heartbeat',
  `UPDATE correlator.heartbeats SET name = $2, matchers = $3, interval_seconds = $4, schedule = $5, severity = $6,
     node = $7, service = $8, labels = $9, comment = $10, updated_at = $11, deadline_at = $12
   WHERE id = $1 RETURNING *`,
);

const DELETE = statement('correlator-delete-heartbeat', 'DELETE FROM correlator.heartbeats WHERE id = $1');

const WRITE_STATE = statement(
  'correlator-write-heartbeat-state',
  `UPDATE correlator.heartbeats AS h
      SET last_seen_at = r.last_seen_at, deadline_at = r.deadline_at, missing_since = r.missing_since,
          misses = r.misses, alert_id = r.alert_id
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, last_seen_at timestamptz, deadline_at timestamptz,
          missing_since timestamptz, misses integer, alert_id uuid)
    WHERE h.id = r.id`,
);

/** A heartbeat's state columns, as one writer leaves them. */
export interface HeartbeatState {
  id: string;
  last_seen_at: Date | null;
  deadline_at: Date | null;
  missing_since: Date | null;
  misses: number;
  alert_id: string | null;
}

export const stateOf = (row: HeartbeatRow): HeartbeatState => ({
  id: row.id,
  last_seen_at: row.lastSeenAt,
  deadline_at: row.deadlineAt,
  missing_since: row.missingSince,
  misses: row.misses,
  alert_id: row.alertId,
});

/** `correlator.heartbeats`: definitions (the API) and state (batches and the poll), in the caller's transaction. */
@Injectable()
export class HeartbeatsRepository {
  constructor(private readonly pool: SqlPool) {}

  async loadAll(sql: Sql = this.pool): Promise<HeartbeatRow[]> {
    return (await sql.query<HeartbeatColumns>(ALL)).map(toRow);
  }

  async get(id: string): Promise<HeartbeatRow | undefined> {
    const [row] = await this.pool.query<HeartbeatColumns>(GET, [id]);
    return row && toRow(row);
  }

  async lock(sql: Sql, ids: readonly string[]): Promise<HeartbeatRow[]> {
    return (await sql.query<HeartbeatColumns>(LOCK, [ids])).map(toRow);
  }

  /** Due heartbeats (deadline at or before `until`) that no other transaction holds. */
  async claimDue(sql: Sql, until: Date, limit: number): Promise<HeartbeatRow[]> {
    return (await sql.query<HeartbeatColumns>(CLAIM_DUE, [until, limit])).map(toRow);
  }

  async insert(
    id: string,
    definition: HeartbeatDefinition,
    actor: string,
    now: Date,
    deadline: Date | null,
  ): Promise<HeartbeatRow> {
    const [row] = await this.pool.query<HeartbeatColumns>(INSERT, [
      id,
      ...this.values(definition),
      actor,
      now,
      deadline,
    ]);
    return toRow(row);
  }

  async update(
    sql: Sql,
    id: string,
    definition: HeartbeatDefinition,
    now: Date,
    deadline: Date | null,
  ): Promise<HeartbeatRow | undefined> {
    const [row] = await sql.query<HeartbeatColumns>(UPDATE, [id, ...this.values(definition), now, deadline]);
    return row && toRow(row);
  }

  async delete(sql: Sql, id: string): Promise<void> {
    await sql.query(DELETE, [id]);
  }

  async writeState(sql: Sql, states: readonly HeartbeatState[]): Promise<void> {
    if (!states.length) return;
    await sql.query(WRITE_STATE, [JSON.stringify(states)]);
  }

  private values(d: HeartbeatDefinition): unknown[] {
    return [
      d.name,
      d.matchers,
      d.intervalSeconds,
      d.schedule === null ? null : JSON.stringify(d.schedule),
      d.severity,
      d.node,
      d.service,
      JSON.stringify(d.labels),
      d.comment,
    ];
  }
}
