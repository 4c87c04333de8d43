import { Injectable } from '@nestjs/common';
import type { AlertSnapshotSource, Severity } from '@vigil/contracts';
import { SqlPool, statement } from '@vigil/persistence';
import { KeysetCursor, keysetPage, KeysetList, ListRequest, RowFields, selectList } from '../sql';

/** An alert as the API shows it: what its snapshot is made of, and what the record adds. */
export interface AlertRow extends AlertSnapshotSource {
  sequence: number;
  resolvedAt: Date | null;
  /** Newest first, at most 20 (the correlator trims it). */
  recentOccurrences: Date[];
  timeoutSeconds: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A recorded occurrence of an alert, without the stored event. */
export interface OccurrenceRow {
  eventId: string;
  severity: Severity;
  summary: string;
  occurredAt: Date;
  receivedAt: Date;
  ruleSet: string | null;
  ruleSetVersion: string | null;
  matchedRules: string[];
}

/** One change of an alert (the API shows statuses as they are stored, as text). */
export interface AlertHistoryRow {
  sequence: number;
  at: Date;
  /** `system`, or the operator who gave the command. */
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  eventId: string | null;
  commandId: string | null;
  details: Record<string, unknown>;
}

const ALERT_FIELDS: RowFields<AlertRow> = {
  id: true,
  fingerprint: true,
  status: true,
  severity: true,
  previousSeverity: true,
  tally: true,
  firstOccurrence: true,
  lastOccurrence: true,
  summary: true,
  node: true,
  source: true,
  type: true,
  category: true,
  service: true,
  environment: true,
  labels: true,
  priority: true,
  team: true,
  trend: true,
  flapping: true,
  assignee: true,
  snoozedUntil: true,
  suppressedBy: true,
  inhibitedBy: true,
  sequence: true,
  resolvedAt: true,
  recentOccurrences: true,
  timeoutSeconds: true,
  createdAt: true,
  updatedAt: true,
};

const OCCURRENCE_FIELDS: RowFields<OccurrenceRow> = {
  eventId: true,
  severity: true,
  summary: true,
  occurredAt: true,
  receivedAt: true,
  ruleSet: true,
  ruleSetVersion: true,
  matchedRules: true,
};

const HISTORY_FIELDS: RowFields<AlertHistoryRow> = {
  sequence: true,
  at: true,
  actor: true,
  action: true,
  fromStatus: true,
  toStatus: true,
  reason: true,
  eventId: true,
  commandId: true,
  details: true,
};

const SELECT_ALERTS = `SELECT ${selectList(ALERT_FIELDS)} FROM correlator.alerts`;

type AlertListFilter = 'status' | 'severity' | 'source' | 'node' | 'priority' | 'team';

/** What a list request may filter on: for each, the values an alert may hold. */
export type AlertFilter = ListRequest<AlertListFilter>;

// Newest activity first: a sort of the filtered alerts, since last_occurrence is deliberately
// unindexed (every repeat of a problem updates it).
const ALERTS: KeysetList<AlertListFilter> = {
  name: 'query-alerts-page',
  select: SELECT_ALERTS,
  filters: {
    status: { column: 'status', type: 'text' },
    severity: { column: 'severity', type: 'text' },
    source: { column: 'source', type: 'text' },
    node: { column: 'node', type: 'text' },
    priority: { column: 'priority', type: 'text' },
    team: { column: 'team', type: 'text' },
  },
  at: 'last_occurrence',
  id: 'id',
};

const FIND_ALERT = statement('query-find-alert', `${SELECT_ALERTS} WHERE id = $1`);

const RECENT_OCCURRENCES = statement(
  'query-recent-occurrences',
  `SELECT ${selectList(OCCURRENCE_FIELDS)} FROM correlator.event_occurrences
    WHERE alert_id = $1 ORDER BY occurred_at DESC LIMIT $2`,
);

const HISTORY = statement(
  'query-alert-history',
  `SELECT ${selectList(HISTORY_FIELDS)} FROM correlator.alert_history WHERE alert_id = $1 ORDER BY sequence`,
);

/** Reads of the correlator's alert tables (it owns and writes them; nothing here writes). */
@Injectable()
export class AlertsReadRepository {
  constructor(private readonly sql: SqlPool) {}

  /** Every change of the alert, oldest first (the history is bounded by what happens to one alert). */
  history(alertId: string): Promise<AlertHistoryRow[]> {
    return this.sql.query<AlertHistoryRow>(HISTORY, [alertId]);
  }

  /** One page, newest activity first; `after` continues where a previous page ended (keyset). */
  page(filter: AlertFilter, limit: number, after?: KeysetCursor): Promise<AlertRow[]> {
    const page = keysetPage(ALERTS, filter, limit, after);
    return this.sql.query<AlertRow>(page.statement, page.values);
  }

  async findById(id: string): Promise<AlertRow | null> {
    const [row] = await this.sql.query<AlertRow>(FIND_ALERT, [id]);
    return row ?? null;
  }

  recentOccurrences(alertId: string, limit: number): Promise<OccurrenceRow[]> {
    return this.sql.query<OccurrenceRow>(RECENT_OCCURRENCES, [alertId, limit]);
  }
}
