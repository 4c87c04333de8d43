import { Injectable } from '@nestjs/common';
import type { AlertStatus } from '@vigil/contracts';
import { planEachTime, Sql, SqlPool, statement } from '@vigil/persistence';
import { outboxInsert, outboxRecords } from '../outbox';
import type { WritePlan } from './change-set';
import type { AlertFieldsRow, AlertHistoryRow, AlertRow, TimerKind } from './alerts.rows';

/** An alert as Postgres returns it (`AlertRow` under the table's column names). */
interface AlertColumns {
  id: string;
  fingerprint: string;
  status: AlertRow['status'];
  severity: AlertRow['severity'];
  previous_severity: AlertRow['previousSeverity'];
  tally: number;
  first_occurrence: Date;
  last_occurrence: Date;
  summary: string;
  node: string;
  source: string;
  type: string;
  category: AlertRow['category'];
  service: string | null;
  environment: string | null;
  labels: AlertRow['labels'];
  priority: AlertRow['priority'];
  team: string | null;
  last_event_id: string;
  sequence: number;
  resolved_at: Date | null;
  trend: AlertRow['trend'];
  recent_occurrences: Date[];
  assignee: string | null;
  snoozed_until: Date | null;
  status_before_snooze: AlertRow['statusBeforeSnooze'];
  timeout_seconds: number;
  status_changed_at: Date;
  last_seen_at: Date;
  flapping: boolean;
  flap_transitions: Date[];
  suppressed_by: string | null;
  inhibited_by: string | null;
  created_at: Date;
  updated_at: Date;
}

function toRow(row: AlertColumns): AlertRow {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    status: row.status,
    severity: row.severity,
    previousSeverity: row.previous_severity,
    tally: row.tally,
    firstOccurrence: row.first_occurrence,
    lastOccurrence: row.last_occurrence,
    summary: row.summary,
    node: row.node,
    source: row.source,
    type: row.type,
    category: row.category,
    service: row.service,
    environment: row.environment,
    labels: row.labels,
    priority: row.priority,
    team: row.team,
    lastEventId: row.last_event_id,
    sequence: row.sequence,
    resolvedAt: row.resolved_at,
    trend: row.trend,
    recentOccurrences: row.recent_occurrences,
    assignee: row.assignee,
    snoozedUntil: row.snoozed_until,
    statusBeforeSnooze: row.status_before_snooze,
    timeoutSeconds: row.timeout_seconds,
    statusChangedAt: row.status_changed_at,
    lastSeenAt: row.last_seen_at,
    flapping: row.flapping,
    flapTransitions: row.flap_transitions,
    suppressedBy: row.suppressed_by,
    inhibitedBy: row.inhibited_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A history row as Postgres returns it. */
interface HistoryColumns {
  alert_id: string;
  sequence: number;
  at: Date;
  actor: string;
  action: string;
  from_status: AlertHistoryRow['fromStatus'];
  to_status: AlertHistoryRow['toStatus'];
  reason: string | null;
  event_id: string | null;
  command_id: string | null;
  details: Record<string, unknown>;
}

/** The columns an alert row is written with, as one JSON record (see `jsonb_to_recordset`). */
function alertRecord(alert: AlertRow) {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    status: alert.status,
    severity: alert.severity,
    previous_severity: alert.previousSeverity,
    tally: alert.tally,
    first_occurrence: alert.firstOccurrence,
    last_occurrence: alert.lastOccurrence,
    summary: alert.summary,
    node: alert.node,
    source: alert.source,
    type: alert.type,
    category: alert.category,
    service: alert.service,
    environment: alert.environment,
    labels: alert.labels,
    priority: alert.priority,
    team: alert.team,
    last_event_id: alert.lastEventId,
    sequence: alert.sequence,
    resolved_at: alert.resolvedAt,
    trend: alert.trend,
    recent_occurrences: alert.recentOccurrences,
    assignee: alert.assignee,
    snoozed_until: alert.snoozedUntil,
    status_before_snooze: alert.statusBeforeSnooze,
    timeout_seconds: alert.timeoutSeconds,
    status_changed_at: alert.statusChangedAt,
    last_seen_at: alert.lastSeenAt,
    flapping: alert.flapping,
    flap_transitions: alert.flapTransitions,
    suppressed_by: alert.suppressedBy,
    inhibited_by: alert.inhibitedBy,
  };
}

const ALERT_COLUMNS = `id uuid, fingerprint text, status text, severity text, previous_severity text, tally integer,
  first_occurrence timestamptz, last_occurrence timestamptz, summary text, node text, source text, type text,
  category text, service text, environment text, labels jsonb, last_event_id text, sequence integer,
  resolved_at timestamptz, trend text, recent_occurrences timestamptz[], assignee text, snoozed_until timestamptz,
  status_before_snooze text, timeout_seconds integer, status_changed_at timestamptz, last_seen_at timestamptz, flapping boolean,
  flap_transitions timestamptz[], suppressed_by uuid, inhibited_by uuid, priority text, team text`;

// Closed alerts are history: only the live alert of a fingerprint (at most one) takes events.
// Planned each time too: alerts also grows from empty, and its index is partial (live alerts).
const LOCK_ALERTS = planEachTime(
  `SELECT * FROM correlator.alerts WHERE fingerprint = ANY($1::text[]) AND status <> 'closed'
    ORDER BY fingerprint FOR UPDATE`,
);

// With pairing rules, a batch holding resolution events also locks the active alerts of the problem
// types they resolve — in the same statement and order, so batches cannot deadlock on each other.
const LOCK_ALERTS_WITH_PROBLEMS = statement(
  'correlator-lock-alerts-with-problems',
  `SELECT * FROM correlator.alerts
    WHERE id IN (SELECT id FROM correlator.alerts WHERE fingerprint = ANY($1::text[]) AND status <> 'closed'
                 UNION
                 SELECT id FROM correlator.alerts
                  WHERE type = ANY($2::text[]) AND status IN ('open', 'acknowledged', 'snoozed'))
    ORDER BY fingerprint FOR UPDATE`,
);

const LOCK_ALERT = statement(
  'correlator-lock-alert',
  'SELECT * FROM correlator.alerts WHERE id = $1 FOR UPDATE',
);

// Timers skip an alert someone else holds rather than wait: its holder may be rescheduling it.
const FIND_LIVE_ALERT = statement(
  'correlator-find-live-alert',
  `SELECT id, status FROM correlator.alerts WHERE fingerprint = $1 AND status <> 'closed'`,
);

const LOCK_ALERTS_FOR_TIMERS = statement(
  'correlator-lock-alerts-for-timers',
  'SELECT * FROM correlator.alerts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED',
);

// Unlocked: the batch only reads which alerts could inhibit its own. A source that stops firing
// meanwhile asks for a reconcile, and so does the batch that inhibited something, so a stale read
// is put right by the next silence pass.
const ACTIVE_ALERT_FIELDS = statement(
  'correlator-active-alert-fields',
  `SELECT id, node, service, source, type, category, environment, labels FROM correlator.alerts
    WHERE status IN ('open', 'acknowledged', 'snoozed')`,
);

const SILENCE_CANDIDATES = `FROM correlator.alerts
    WHERE status IN ('open', 'acknowledged', 'snoozed') OR suppressed_by IS NOT NULL OR inhibited_by IS NOT NULL`;

// A reconcile skips alerts a batch or command holds (never waits, like timers) and comes back.
const LOCK_SILENCE_CANDIDATES = statement(
  'correlator-lock-silence-candidates',
  `SELECT * ${SILENCE_CANDIDATES} ORDER BY id FOR UPDATE SKIP LOCKED`,
);

const COUNT_SILENCE_CANDIDATES = statement(
  'correlator-count-silence-candidates',
  `SELECT count(*)::int AS n ${SILENCE_CANDIDATES}`,
);

const COMMAND_RESULT = statement(
  'correlator-command-result',
  'SELECT * FROM correlator.alert_history WHERE alert_id = $1 AND command_id = $2',
);

const CLAIM_TIMERS = statement(
  'correlator-claim-timers',
  `SELECT alert_id, kind, due_at FROM correlator.timers WHERE due_at <= now()
    ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
);

// Planned each time: recorded_events grows from empty, and a cached generic plan made while it was
// empty scanned the whole table for every batch (the bench's top statement by CPU).
const RECORDED_EVENTS = planEachTime(
  'SELECT event_id FROM correlator.recorded_events WHERE event_id = ANY($1::text[])',
);

// The statements below are parts of one (`WRITE_CHANGES`): a batch's writes cost one round trip.
// Each part reads its rows from one JSON parameter expanded by `jsonb_to_recordset`.

const alertUpdates = (rows: string) => `UPDATE correlator.alerts AS a
      SET status = r.status, severity = r.severity, previous_severity = r.previous_severity, tally = r.tally,
          last_occurrence = r.last_occurrence, summary = r.summary, sequence = r.sequence,
          resolved_at = r.resolved_at, last_event_id = r.last_event_id, trend = r.trend,
          recent_occurrences = r.recent_occurrences, assignee = r.assignee, snoozed_until = r.snoozed_until,
          status_before_snooze = r.status_before_snooze, timeout_seconds = r.timeout_seconds,
          status_changed_at = r.status_changed_at, last_seen_at = r.last_seen_at, flapping = r.flapping,
          flap_transitions = r.flap_transitions, suppressed_by = r.suppressed_by, inhibited_by = r.inhibited_by,
          priority = r.priority, team = r.team, updated_at = now()
     FROM jsonb_to_recordset(${rows}::jsonb) AS r(${ALERT_COLUMNS})
    WHERE a.id = r.id`;

// An alert closed in this transaction frees its fingerprint for a new alert: that update must have
// happened before the insert looks for a conflict, so it is a statement of its own, run first.
const UPDATE_ALERTS = statement('correlator-update-alerts', alertUpdates('$1'));

/**
 * Everything a change set writes, in one statement: $1 alert updates, $2 alert inserts, $3
 * occurrences, $4 history, $5 timers, $6 outbox messages (each a JSON array, `[]` for none).
 *
 * - A fingerprint another transaction opened first makes the insert of its alert do nothing: then
 *   `ok` is false, nothing else is written, and the caller plans the batch again.
 * - The partitioned occurrences table cannot have the event id as its key, so the key lives in
 *   recorded_events: only the events newly recorded become occurrences, and the count returned
 *   tells a redelivery that a concurrent batch committed after this one checked.
 * - Timers are set (upserted) and cancelled (deleted) here: a new occurrence pushing an expiry
 *   back is an upsert of its row.
 * - Foreign keys are checked at the end of the statement, when the new alerts exist.
 */
const WRITE_CHANGES = statement(
  'correlator-write-changes',
  `WITH updated AS (${alertUpdates('$1')} RETURNING a.id),
   inserted AS (
     INSERT INTO correlator.alerts (id, fingerprint, status, severity, previous_severity, tally, first_occurrence,
       last_occurrence, summary, node, source, type, category, service, environment, labels, last_event_id,
       sequence, resolved_at, trend, recent_occurrences, assignee, snoozed_until, status_before_snooze,
       timeout_seconds, status_changed_at, last_seen_at, flapping, flap_transitions, suppressed_by, inhibited_by,
       priority, team)
     SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(${ALERT_COLUMNS}) ORDER BY fingerprint
     ON CONFLICT (fingerprint) WHERE status <> 'closed' DO NOTHING
     RETURNING id
   ),
   ok AS MATERIALIZED (SELECT (SELECT count(*) FROM inserted) = jsonb_array_length($2::jsonb) AS ok),
   occurrence AS MATERIALIZED (
     SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(event_id text, alert_id uuid, fingerprint text,
       severity text, summary text, occurred_at timestamptz, received_at timestamptz, event jsonb,
       rule_set text, rule_set_version text, matched_rules text[])
      WHERE (SELECT ok FROM ok)
   ),
   recorded AS (
     INSERT INTO correlator.recorded_events (event_id, recorded_at)
     SELECT event_id, clock_timestamp() FROM occurrence ORDER BY event_id
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id, recorded_at
   ),
   occurred AS (
     INSERT INTO correlator.event_occurrences
       (event_id, alert_id, fingerprint, severity, summary, occurred_at, received_at, event, rule_set,
        rule_set_version, matched_rules, recorded_at)
     SELECT o.event_id, o.alert_id, o.fingerprint, o.severity, o.summary, o.occurred_at, o.received_at, o.event,
            o.rule_set, o.rule_set_version, o.matched_rules, recorded.recorded_at
       FROM occurrence o JOIN recorded USING (event_id)
     RETURNING event_id
   ),
   history AS (
     INSERT INTO correlator.alert_history
       (alert_id, sequence, at, actor, action, from_status, to_status, reason, event_id, command_id, details)
     SELECT * FROM jsonb_to_recordset($4::jsonb) AS r(alert_id uuid, sequence integer, at timestamptz, actor text,
       action text, from_status text, to_status text, reason text, event_id text, command_id text, details jsonb)
      WHERE (SELECT ok FROM ok)
   ),
   timer AS MATERIALIZED (
     SELECT * FROM jsonb_to_recordset($5::jsonb) AS r(alert_id uuid, kind text, due_at timestamptz)
      WHERE (SELECT ok FROM ok)
   ),
   cancelled AS (
     DELETE FROM correlator.timers t USING timer r
      WHERE r.due_at IS NULL AND t.alert_id = r.alert_id AND t.kind = r.kind
   ),
   timers AS (
     INSERT INTO correlator.timers (alert_id, kind, due_at)
     SELECT alert_id, kind, due_at FROM timer WHERE due_at IS NOT NULL ORDER BY alert_id, kind
     ON CONFLICT (alert_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at
   ),
   outbox AS (${outboxInsert('$6')} WHERE (SELECT ok FROM ok))
   SELECT (SELECT count(*) FROM inserted)::int AS alerts, (SELECT count(*) FROM occurred)::int AS occurrences`,
);

/** Another transaction wrote what this plan assumed absent; the batch must be planned again. */
export class ConcurrentWriteError extends Error {
  constructor(what: string) {
    super(`concurrent write to ${what}; the batch will be planned again`);
    this.name = 'ConcurrentWriteError';
  }
}

/**
 * The correlator's writes for one batch, inside one transaction. Each step is one prepared
 * statement for the whole batch: rows travel as one JSON document expanded by `jsonb_to_recordset`.
 */
export class AlertsTransaction {
  constructor(private readonly sql: Sql) {}

  /**
   * Locks the batch's live alerts, in fingerprint order so concurrent batches cannot deadlock; with
   * `problemTypes` (pairing) also the active alerts of those types. Keyed by fingerprint.
   */
  async lockAlerts(
    fingerprints: readonly string[],
    problemTypes: readonly string[] = [],
  ): Promise<Map<string, AlertRow>> {
    const rows = problemTypes.length
      ? await this.sql.query<AlertColumns>(LOCK_ALERTS_WITH_PROBLEMS, [fingerprints, problemTypes])
      : await this.sql.query<AlertColumns>(LOCK_ALERTS, [fingerprints]);
    return new Map(rows.map((row) => [row.fingerprint, toRow(row)]));
  }

  /** Locks one alert (any status) for a command; waits for whoever holds it. */
  async lockAlert(id: string): Promise<AlertRow | undefined> {
    const [row] = await this.sql.query<AlertColumns>(LOCK_ALERT, [id]);
    return row && toRow(row);
  }

  /** The history row a command with this id wrote on this alert, if it ran before. */
  async commandResult(alertId: string, commandId: string): Promise<AlertHistoryRow | undefined> {
    const [row] = await this.sql.query<HistoryColumns>(COMMAND_RESULT, [alertId, commandId]);
    return (
      row && {
        alertId: row.alert_id,
        sequence: row.sequence,
        at: row.at,
        actor: row.actor,
        action: row.action,
        fromStatus: row.from_status,
        toStatus: row.to_status,
        reason: row.reason,
        eventId: row.event_id,
        commandId: row.command_id,
        details: row.details,
      }
    );
  }

  /**
   * Claims up to `limit` due timers that no other replica holds, and locks their alerts, skipping
   * alerts another transaction holds (their timers stay due and are tried at the next poll).
   */
  async claimDueTimers(limit: number): Promise<{
    timers: { alertId: string; kind: TimerKind; dueAt: Date }[];
    alerts: Map<string, AlertRow>;
  }> {
    const claimed = await this.sql.query<{ alert_id: string; kind: TimerKind; due_at: Date }>(CLAIM_TIMERS, [
      limit,
    ]);
    if (!claimed.length) return { timers: [], alerts: new Map() };
    const ids = [...new Set(claimed.map((t) => t.alert_id))];
    const rows = await this.sql.query<AlertColumns>(LOCK_ALERTS_FOR_TIMERS, [ids]);
    return {
      timers: claimed.map((t) => ({ alertId: t.alert_id, kind: t.kind, dueAt: t.due_at })),
      alerts: new Map(rows.map((row) => [row.id, toRow(row)])),
    };
  }

  /** Every firing alert's matchable fields, unlocked (inhibition sources for the batch). */
  activeAlertFields(): Promise<AlertFieldsRow[]> {
    // The selected columns' names are one word each: the same in the row as in the table.
    return this.sql.query<AlertFieldsRow>(ACTIVE_ALERT_FIELDS);
  }

  /**
   * Locks the alerts a silence pass looks at: firing ones and silenced ones, skipping those
   * another transaction holds (`complete` is false then: the pass is done again shortly).
   */
  async lockSilenceCandidates(): Promise<{ alerts: AlertRow[]; complete: boolean }> {
    const rows = await this.sql.query<AlertColumns>(LOCK_SILENCE_CANDIDATES);
    const [{ n }] = await this.sql.query<{ n: number }>(COUNT_SILENCE_CANDIDATES);
    return { alerts: rows.map(toRow), complete: rows.length >= n };
  }

  /** The SQL connection of this transaction, for other repositories' statements (`CorrelationScope.sql`). */
  get connection(): Sql {
    return this.sql;
  }

  /** The event ids among `ids` that were recorded before: redeliveries. */
  async recordedEventIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.sql.query<{ event_id: string }>(RECORDED_EVENTS, [ids]);
    return new Set(rows.map((row) => row.event_id));
  }

  /**
   * Writes a change set. Updates go before inserts: an alert closed in this transaction frees its
   * fingerprint for the new alert inserted after it. A requested reconcile (`reconcileAt`) is not
   * alerts' to write: `CorrelationService` hands it to the silences.
   */
  async write(plan: WritePlan): Promise<void> {
    const { updates, inserts, occurrences } = plan;
    const history = plan.history ?? [];
    const timers = plan.timers ?? [];
    if (
      !updates.length &&
      !inserts.length &&
      !occurrences.length &&
      !history.length &&
      !timers.length &&
      !plan.outbox.length
    ) {
      return;
    }
    const opening = new Set(inserts.map((alert) => alert.fingerprint));
    const reopened = updates.some((alert) => opening.has(alert.fingerprint));
    const updateRows = JSON.stringify(updates.map(alertRecord));
    if (reopened) await this.sql.query(UPDATE_ALERTS, [updateRows]);
    const occurrenceRows = occurrences
      .map(({ event, alertId }) => ({
        event_id: event.id,
        alert_id: alertId,
        fingerprint: event.fingerprint,
        severity: event.severity,
        summary: event.summary,
        occurred_at: event.occurredAt,
        received_at: event.receivedAt,
        event,
        rule_set: event.classification.ruleSet,
        rule_set_version: event.classification.ruleSetVersion ?? null,
        matched_rules: event.classification.matchedRules,
      }))
      .sort((a, b) => (a.event_id < b.event_id ? -1 : 1));
    const [written] = await this.sql.query<{ alerts: number; occurrences: number }>(WRITE_CHANGES, [
      reopened ? '[]' : updateRows,
      JSON.stringify(inserts.map(alertRecord)),
      JSON.stringify(occurrenceRows),
      JSON.stringify(history),
      JSON.stringify(timers),
      outboxRecords(plan.outbox),
    ]);
    // A fingerprint another transaction opened first: plan again against its row.
    if (written.alerts !== inserts.length) throw new ConcurrentWriteError('alerts');
    // The same event committed by a concurrent batch after we checked: plan again without it.
    if (written.occurrences !== occurrences.length) throw new ConcurrentWriteError('event_occurrences');
  }
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly sql: SqlPool) {}

  /** The live (not closed) alert of a fingerprint, if any: at most one, by the partial unique index. */
  async findLive(fingerprint: string): Promise<{ id: string; status: AlertStatus } | undefined> {
    const [row] = await this.sql.query<{ id: string; status: AlertStatus }>(FIND_LIVE_ALERT, [fingerprint]);
    return row;
  }

  transaction<T>(work: (tx: AlertsTransaction) => Promise<T>): Promise<T> {
    return this.sql.transaction((sql) => work(new AlertsTransaction(sql)));
  }
}
