import { Injectable } from '@nestjs/common';
import { Sql, SqlPool, statement } from '@vigil/persistence';
import type { InhibitRuleRow, MaintenanceWindowRow, SilenceTimerKind } from './silences.rows';

/** A maintenance window as Postgres returns it. */
interface WindowColumns {
  id: string;
  name: string;
  matchers: string[];
  window: Record<string, unknown>;
  comment: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

/** An inhibition rule as Postgres returns it. */
interface RuleColumns {
  id: string;
  name: string;
  source_matchers: string[];
  target_matchers: string[];
  equal: string[];
  comment: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toWindow = (r: WindowColumns): MaintenanceWindowRow => ({
  id: r.id,
  name: r.name,
  matchers: r.matchers,
  window: r.window,
  comment: r.comment,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRule = (r: RuleColumns): InhibitRuleRow => ({
  id: r.id,
  name: r.name,
  sourceMatchers: r.source_matchers,
  targetMatchers: r.target_matchers,
  equal: r.equal,
  comment: r.comment,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const ALL_WINDOWS = statement(
  'correlator-all-windows',
  'SELECT * FROM correlator.maintenance_windows ORDER BY id',
);
const ALL_RULES = statement(
  'correlator-all-inhibit-rules',
  'SELECT * FROM correlator.inhibit_rules ORDER BY id',
);
const GET_WINDOW = statement(
  'correlator-get-window',
  'SELECT * FROM correlator.maintenance_windows WHERE id = $1',
);
const GET_RULE = statement(
  'correlator-get-inhibit-rule',
  'SELECT * FROM correlator.inhibit_rules WHERE id = $1',
);
const UPSERT_WINDOW = statement(
  'correlator-upsert-window',
  `INSERT INTO correlator.maintenance_windows (id, name, matchers, "window", comment, created_by)
   VALUES ($1, $2, $3, $4, $5, $6)
   ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, matchers = EXCLUDED.matchers,
     "window" = EXCLUDED."window", comment = EXCLUDED.comment, updated_at = now()
   RETURNING *`,
);
const UPDATE_WINDOW = statement(
  'correlator-update-window',
  `UPDATE correlator.maintenance_windows SET name = $2, matchers = $3, "window" = $4, comment = $5,
     updated_at = now() WHERE id = $1 RETURNING *`,
);
const DELETE_WINDOW = statement(
  'correlator-delete-window',
  'DELETE FROM correlator.maintenance_windows WHERE id = $1 RETURNING id',
);
const INSERT_RULE = statement(
  'correlator-insert-inhibit-rule',
  `INSERT INTO correlator.inhibit_rules (id, name, source_matchers, target_matchers, equal, comment, created_by)
   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
);
const UPDATE_RULE = statement(
  'correlator-update-inhibit-rule',
  `UPDATE correlator.inhibit_rules SET name = $2, source_matchers = $3, target_matchers = $4, equal = $5,
     comment = $6, updated_at = now() WHERE id = $1 RETURNING *`,
);
const DELETE_RULE = statement(
  'correlator-delete-inhibit-rule',
  'DELETE FROM correlator.inhibit_rules WHERE id = $1 RETURNING id',
);

// Sets (due_at given) or cancels (null) silence timers. For `reconcile` the earlier due time wins:
// two writers asking for a reconcile want the sooner one.
const SYNC_SILENCE_TIMERS = statement(
  'correlator-sync-silence-timers',
  `WITH r AS MATERIALIZED (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(subject text, kind text, due_at timestamptz)
   ), cancelled AS (
     DELETE FROM correlator.silence_timers t USING r
      WHERE r.due_at IS NULL AND t.subject = r.subject AND t.kind = r.kind
   )
   INSERT INTO correlator.silence_timers AS t (subject, kind, due_at)
   SELECT subject, kind, due_at FROM r WHERE due_at IS NOT NULL ORDER BY subject, kind
   ON CONFLICT (subject, kind) DO UPDATE
     SET due_at = CASE WHEN t.kind = 'reconcile' THEN LEAST(t.due_at, EXCLUDED.due_at)
                       ELSE EXCLUDED.due_at END`,
);

const CLAIM_TIMERS = statement(
  'correlator-claim-silence-timers',
  `SELECT subject, kind, due_at FROM correlator.silence_timers WHERE due_at <= now()
    ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
);

export interface SilenceTimerRecord {
  subject: string;
  kind: SilenceTimerKind;
  due_at: Date | null;
}

/** The subject of the one `reconcile` timer: it concerns every alert. */
export const RECONCILE_ALL = 'all';

async function syncSilenceTimers(sql: Sql, timers: readonly SilenceTimerRecord[]): Promise<void> {
  if (!timers.length) return;
  await sql.query(SYNC_SILENCE_TIMERS, [JSON.stringify(timers)]);
}

export interface WindowInput {
  name: string;
  matchers: string[];
  window: Record<string, unknown>;
  comment: string | null;
}

export interface RuleInput {
  name: string;
  sourceMatchers: string[];
  targetMatchers: string[];
  equal: string[];
  comment: string | null;
}

/** Definitions of maintenance windows and inhibition rules, and the silence timers. */
@Injectable()
export class SilencesRepository {
  constructor(private readonly sql: SqlPool) {}

  /** Claims up to `limit` due silence timers no other replica holds, in the caller's transaction. */
  async claimDueTimers(
    sql: Sql,
    limit: number,
  ): Promise<{ subject: string; kind: SilenceTimerKind; dueAt: Date }[]> {
    const rows = await sql.query<{ subject: string; kind: SilenceTimerKind; due_at: Date }>(CLAIM_TIMERS, [
      limit,
    ]);
    return rows.map((r) => ({ subject: r.subject, kind: r.kind, dueAt: r.due_at }));
  }

  /** Sets (due time given) or cancels (null) silence timers, in the caller's transaction. */
  syncTimers(sql: Sql, timers: readonly SilenceTimerRecord[]): Promise<void> {
    return syncSilenceTimers(sql, timers);
  }

  /** Asks for a reconcile at `at` (the sooner of two requests wins), in the caller's transaction. */
  requestReconcile(sql: Sql, at: Date): Promise<void> {
    return syncSilenceTimers(sql, [{ subject: RECONCILE_ALL, kind: 'reconcile', due_at: at }]);
  }

  async loadAll(sql: Sql = this.sql): Promise<{ windows: MaintenanceWindowRow[]; rules: InhibitRuleRow[] }> {
    const [windows, rules] = [
      await sql.query<WindowColumns>(ALL_WINDOWS),
      await sql.query<RuleColumns>(ALL_RULES),
    ];
    return { windows: windows.map(toWindow), rules: rules.map(toRule) };
  }

  async getWindow(id: string): Promise<MaintenanceWindowRow | undefined> {
    const [row] = await this.sql.query<WindowColumns>(GET_WINDOW, [id]);
    return row && toWindow(row);
  }

  async getRule(id: string): Promise<InhibitRuleRow | undefined> {
    const [row] = await this.sql.query<RuleColumns>(GET_RULE, [id]);
    return row && toRule(row);
  }

  /**
   * Creates (`actor` given, id new) or updates a window and, in the same transaction, asks for its
   * timers to be worked out now: the next timer pass applies the window to firing alerts and sets
   * its start/end timers. Undefined when an update finds no window.
   */
  async saveWindow(
    id: string,
    input: WindowInput,
    actor: string | null,
  ): Promise<MaintenanceWindowRow | undefined> {
    return this.sql.transaction(async (sql) => {
      const values = [id, input.name, input.matchers, JSON.stringify(input.window), input.comment];
      const [row] = actor
        ? await sql.query<WindowColumns>(UPSERT_WINDOW, [...values, actor])
        : await sql.query<WindowColumns>(UPDATE_WINDOW, values);
      if (!row) return undefined;
      await syncSilenceTimers(sql, [
        { subject: id, kind: 'window_change', due_at: new Date() },
        { subject: id, kind: 'window_ending', due_at: null },
      ]);
      return toWindow(row);
    });
  }

  /** Deletes a window and its timers; a reconcile then releases the alerts it silenced. */
  async deleteWindow(id: string): Promise<boolean> {
    return this.sql.transaction(async (sql) => {
      const deleted = await sql.query(DELETE_WINDOW, [id]);
      await syncSilenceTimers(sql, [
        { subject: id, kind: 'window_change', due_at: null },
        { subject: id, kind: 'window_ending', due_at: null },
        { subject: RECONCILE_ALL, kind: 'reconcile', due_at: new Date() },
      ]);
      return deleted.length > 0;
    });
  }

  async saveRule(id: string, input: RuleInput, actor: string | null): Promise<InhibitRuleRow | undefined> {
    return this.sql.transaction(async (sql) => {
      const values = [id, input.name, input.sourceMatchers, input.targetMatchers, input.equal, input.comment];
      const [row] = actor
        ? await sql.query<RuleColumns>(INSERT_RULE, [...values, actor])
        : await sql.query<RuleColumns>(UPDATE_RULE, values);
      if (!row) return undefined;
      await syncSilenceTimers(sql, [{ subject: RECONCILE_ALL, kind: 'reconcile', due_at: new Date() }]);
      return toRule(row);
    });
  }

  async deleteRule(id: string): Promise<boolean> {
    return this.sql.transaction(async (sql) => {
      const deleted = await sql.query(DELETE_RULE, [id]);
      await syncSilenceTimers(sql, [{ subject: RECONCILE_ALL, kind: 'reconcile', due_at: new Date() }]);
      return deleted.length > 0;
    });
  }
}
