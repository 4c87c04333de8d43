import { Injectable } from '@nestjs/common';
import type { AlertChangedV1 } from '@vigil/contracts';
import { AlertEntity, Sql, SqlPool, statement } from '@vigil/persistence';
import type { BatchPlan } from './batch-plan';

interface AlertRow {
  id: string;
  fingerprint: string;
  status: AlertEntity['status'];
  severity: AlertEntity['severity'];
  previous_severity: AlertEntity['previousSeverity'];
  tally: number;
  first_occurrence: Date;
  last_occurrence: Date;
  summary: string;
  node: string;
  source: string;
  type: string;
  category: AlertEntity['category'];
  service: string | null;
  environment: string | null;
  labels: AlertEntity['labels'];
  last_event_id: string;
  sequence: number;
  resolved_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toEntity(row: AlertRow): AlertEntity {
  return Object.assign(new AlertEntity(), {
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
    lastEventId: row.last_event_id,
    sequence: row.sequence,
    resolvedAt: row.resolved_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** The columns an alert row is written with, as one JSON record (see `jsonb_to_recordset`). */
function alertRecord(alert: AlertEntity) {
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
    last_event_id: alert.lastEventId,
    sequence: alert.sequence,
    resolved_at: alert.resolvedAt,
  };
}

const ALERT_COLUMNS = `id uuid, fingerprint text, status text, severity text, previous_severity text, tally integer,
  first_occurrence timestamptz, last_occurrence timestamptz, summary text, node text, source text, type text,
  category text, service text, environment text, labels jsonb, last_event_id text, sequence integer,
  resolved_at timestamptz`;

const LOCK_ALERTS = statement(
  'correlator-lock-alerts',
  'SELECT * FROM correlator.alerts WHERE fingerprint = ANY($1::text[]) ORDER BY fingerprint FOR UPDATE',
);

const RECORDED_EVENTS = statement(
  'correlator-recorded-events',
  'SELECT event_id FROM correlator.event_occurrences WHERE event_id = ANY($1::text[])',
);

const INSERT_ALERTS = statement(
  'correlator-insert-alerts',
  `INSERT INTO correlator.alerts (id, fingerprint, status, severity, previous_severity, tally, first_occurrence,
     last_occurrence, summary, node, source, type, category, service, environment, labels, last_event_id,
     sequence, resolved_at)
   SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${ALERT_COLUMNS}) ORDER BY fingerprint
   ON CONFLICT (fingerprint) DO NOTHING
   RETURNING id`,
);

const UPDATE_ALERTS = statement(
  'correlator-update-alerts',
  `UPDATE correlator.alerts AS a
      SET status = r.status, severity = r.severity, previous_severity = r.previous_severity, tally = r.tally,
          last_occurrence = r.last_occurrence, summary = r.summary, sequence = r.sequence,
          resolved_at = r.resolved_at, last_event_id = r.last_event_id, updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS r(${ALERT_COLUMNS})
    WHERE a.id = r.id`,
);

const INSERT_OCCURRENCES = statement(
  'correlator-insert-occurrences',
  `INSERT INTO correlator.event_occurrences
     (event_id, alert_id, fingerprint, severity, summary, occurred_at, received_at, event, rule_set,
      rule_set_version, matched_rules, recorded_at)
   SELECT r.*, clock_timestamp() FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, alert_id uuid,
     fingerprint text, severity text, summary text, occurred_at timestamptz, received_at timestamptz, event jsonb,
     rule_set text, rule_set_version text, matched_rules text[])
   ON CONFLICT (event_id) DO NOTHING
   RETURNING event_id`,
);

const INSERT_OUTBOX = statement(
  'correlator-insert-outbox',
  `INSERT INTO correlator.outbox (family, token, msg_id, payload, headers)
   SELECT family, token, msg_id, payload, headers
     FROM jsonb_to_recordset($1::jsonb) AS r(family text, token text, msg_id text, payload jsonb, headers jsonb)`,
);

export interface OutboxMessage {
  family: string;
  token: string;
  msgId: string;
  payload: AlertChangedV1;
  headers: Record<string, string>;
}

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

  /** Locks the batch's existing alerts, in fingerprint order so concurrent batches cannot deadlock. */
  async lockAlerts(fingerprints: readonly string[]): Promise<Map<string, AlertEntity>> {
    const rows = await this.sql.query<AlertRow>(LOCK_ALERTS, [fingerprints]);
    return new Map(rows.map((row) => [row.fingerprint, toEntity(row)]));
  }

  /** The event ids among `ids` that were recorded before: redeliveries. */
  async recordedEventIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.sql.query<{ event_id: string }>(RECORDED_EVENTS, [ids]);
    return new Set(rows.map((row) => row.event_id));
  }

  async write(plan: BatchPlan): Promise<void> {
    if (plan.inserts.length) {
      const inserted = await this.sql.query(INSERT_ALERTS, [JSON.stringify(plan.inserts.map(alertRecord))]);
      // A fingerprint another transaction opened first: plan again against its row.
      if (inserted.length !== plan.inserts.length) throw new ConcurrentWriteError('alerts');
    }
    if (plan.updates.length) {
      await this.sql.query(UPDATE_ALERTS, [JSON.stringify(plan.updates.map(alertRecord))]);
    }
    if (plan.occurrences.length) {
      const occurrences = plan.occurrences
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
      const recorded = await this.sql.query(INSERT_OCCURRENCES, [JSON.stringify(occurrences)]);
      // The same event committed by a concurrent batch after we checked: plan again without it.
      if (recorded.length !== occurrences.length) throw new ConcurrentWriteError('event_occurrences');
    }
    if (plan.outbox.length) {
      await this.sql.query(INSERT_OUTBOX, [
        JSON.stringify(
          plan.outbox.map((m) => ({
            family: m.family,
            token: m.token,
            msg_id: m.msgId,
            payload: m.payload,
            headers: m.headers,
          })),
        ),
      ]);
    }
  }
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly sql: SqlPool) {}

  transaction<T>(work: (tx: AlertsTransaction) => Promise<T>): Promise<T> {
    return this.sql.transaction((sql) => work(new AlertsTransaction(sql)));
  }
}
