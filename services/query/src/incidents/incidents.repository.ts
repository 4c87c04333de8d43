import { Injectable } from '@nestjs/common';
import type { AlertStatus, IncidentSnapshotSource, Severity } from '@vigil/contracts';
import { SqlPool, statement } from '@vigil/persistence';
import { KeysetCursor, keysetPage, KeysetList, ListRequest, RowFields, selectList } from '../sql';

/** An incident as the API shows it: what its snapshot is made of, and what the record adds. */
export interface IncidentRow extends IncidentSnapshotSource {
  sequence: number;
  lastJoinedAt: Date;
  windowSeconds: number;
  threshold: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A member alert as the incident knows it, with the alert's own fields (null once it is gone). */
export interface IncidentMemberRow {
  alertId: string;
  joinedAt: Date;
  firing: boolean;
  memberSeverity: Severity;
  fingerprint: string | null;
  status: AlertStatus | null;
  severity: Severity | null;
  summary: string | null;
  node: string | null;
  service: string | null;
}

/** One change of an incident. */
export interface IncidentHistoryRow {
  sequence: number;
  at: Date;
  /** `system`, or the operator who gave the command. */
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  alertId: string | null;
  reason: string | null;
  commandId: string | null;
  details: Record<string, unknown>;
}

const INCIDENT_FIELDS: RowFields<IncidentRow> = {
  id: true,
  status: true,
  severity: true,
  title: true,
  ruleId: true,
  ruleName: true,
  ruleVersion: true,
  resolvePolicy: true,
  windowSeconds: true,
  threshold: true,
  groupKey: true,
  groupLabels: true,
  alertCount: true,
  firingCount: true,
  firstAlertId: true,
  lastAlertId: true,
  startedAt: true,
  lastJoinedAt: true,
  openedAt: true,
  acknowledgedAt: true,
  acknowledgedBy: true,
  resolvedAt: true,
  sequence: true,
  createdAt: true,
  updatedAt: true,
};

const HISTORY_FIELDS: RowFields<IncidentHistoryRow> = {
  sequence: true,
  at: true,
  actor: true,
  action: true,
  fromStatus: true,
  toStatus: true,
  alertId: true,
  reason: true,
  commandId: true,
  details: true,
};

const SELECT_INCIDENTS = `SELECT ${selectList(INCIDENT_FIELDS)} FROM correlator.incidents`;

// Pending incidents are internal. Announced ones always have an opening time; a row without one
// would break the keyset comparison.
const VISIBLE = [`status <> 'pending'`, 'opened_at IS NOT NULL'];

type IncidentListFilter = 'status' | 'severity' | 'ruleId';

/** What a list request may filter on: for each, the values an incident may hold. */
export type IncidentFilter = ListRequest<IncidentListFilter>;

const INCIDENTS: KeysetList<IncidentListFilter> = {
  name: 'query-incidents-page',
  select: SELECT_INCIDENTS,
  always: VISIBLE,
  filters: {
    status: { column: 'status', type: 'text' },
    severity: { column: 'severity', type: 'text' },
    ruleId: { column: 'rule_id', type: 'uuid' },
  },
  at: 'opened_at',
  id: 'id',
};

const FIND_VISIBLE = statement(
  'query-find-incident',
  `${SELECT_INCIDENTS} WHERE id = $1 AND ${VISIBLE.join(' AND ')}`,
);

// Closed alerts may have moved to the archive by now, so it is read when the live table no longer
// has the alert.
const MEMBERS = statement(
  'query-incident-members',
  `SELECT m.alert_id AS "alertId", m.joined_at AS "joinedAt", m.firing, m.severity AS "memberSeverity",
          COALESCE(a.fingerprint, z.fingerprint) AS fingerprint, COALESCE(a.status, z.status) AS status,
          COALESCE(a.severity, z.severity) AS severity, COALESCE(a.summary, z.summary) AS summary,
          COALESCE(a.node, z.node) AS node, COALESCE(a.service, z.service) AS service
     FROM correlator.incident_alerts m
     LEFT JOIN correlator.alerts a ON a.id = m.alert_id
     LEFT JOIN correlator.alerts_archive z ON a.id IS NULL AND z.id = m.alert_id
    WHERE m.incident_id = $1
    ORDER BY m.joined_at, m.alert_id
    LIMIT $2`,
);

const HISTORY = statement(
  'query-incident-history',
  `SELECT ${selectList(HISTORY_FIELDS)} FROM correlator.incident_history
    WHERE incident_id = $1 ORDER BY sequence`,
);

/** Reads of the correlator's incident tables. Pending incidents are internal and never read here. */
@Injectable()
export class IncidentsReadRepository {
  constructor(private readonly sql: SqlPool) {}

  /** One page, newest opening first; `after` continues where a previous page ended (keyset). */
  page(filter: IncidentFilter, limit: number, after?: KeysetCursor): Promise<IncidentRow[]> {
    const page = keysetPage(INCIDENTS, filter, limit, after);
    return this.sql.query<IncidentRow>(page.statement, page.values);
  }

  async findVisible(id: string): Promise<IncidentRow | null> {
    const [row] = await this.sql.query<IncidentRow>(FIND_VISIBLE, [id]);
    return row ?? null;
  }

  /** Members in the order they joined, each with its alert (live or archived). */
  membersOf(incidentId: string, limit: number): Promise<IncidentMemberRow[]> {
    return this.sql.query<IncidentMemberRow>(MEMBERS, [incidentId, limit]);
  }

  /** Every change of the incident, oldest first (bounded by what happens to one incident). */
  history(incidentId: string): Promise<IncidentHistoryRow[]> {
    return this.sql.query<IncidentHistoryRow>(HISTORY, [incidentId]);
  }
}
