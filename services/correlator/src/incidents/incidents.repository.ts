import { Injectable } from '@nestjs/common';
import type { IncidentResolvePolicy, Severity } from '@vigil/contracts';
import { planEachTime, Sql, SqlPool, statement } from '@vigil/persistence';
import type { IncidentMember, IncidentState } from '../domain/incidents';
import { insertOutbox } from '../outbox';
import type { OutboxMessage } from '../outbox';
import type { IncidentRowStatus } from './incidents.rows';

/**
 * An incident as Postgres returns it (`correlator.incidents`: alerts grouped by a correlation rule).
 */
interface IncidentColumns {
  id: string;
  status: IncidentRowStatus;
  severity: Severity;
  title: string;
  rule_id: string;
  rule_name: string;
  rule_version: number;
  resolve_policy: IncidentResolvePolicy;
  /** The rule's window and threshold when the incident started: a later rule edit does not move them. */
  window_seconds: number;
  threshold: number;
  group_key: string;
  group_labels: Record<string, string>;
  first_alert_id: string;
  last_alert_id: string;
  /** When the first member joined (a pending incident's start). */
  started_at: Date;
  /** When the latest member joined: the window runs from here. */
  last_joined_at: Date;
  /** Null while pending. */
  opened_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  /** The sequence of the last announced change (0 while pending). */
  sequence: number;
}

/** An alert's membership of an incident as Postgres returns it (`correlator.incident_alerts`). */
interface MemberColumns {
  incident_id: string;
  alert_id: string;
  joined_at: Date;
  severity: Severity;
  firing: boolean;
  /** The alert change last applied: an older one redelivered is ignored. */
  alert_sequence: number;
}

/** An alert's place in an incident, as the batch path first needs it. */
export interface Membership {
  alertId: string;
  incidentId: string;
  alertSequence: number;
  status: IncidentRowStatus;
  ruleId: string;
  groupKey: string;
}

/** One row of `correlator.incident_history`. */
export interface IncidentHistoryRecord {
  incident_id: string;
  sequence: number;
  at: Date;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  alert_id: string | null;
  reason: string | null;
  command_id: string | null;
  details: Record<string, unknown>;
}

/** Everything one transaction writes about incidents. */
export interface IncidentWrite {
  /** Incidents as they now are (inserted or updated). */
  incidents: IncidentState[];
  /** Pending incidents left without members. */
  deleted: string[];
  /** Member rows to write, as they now are. */
  members: (IncidentMember & { incidentId: string })[];
  /** Member rows to drop (from pending incidents). */
  removedMembers: { incidentId: string; alertId: string }[];
  history: IncidentHistoryRecord[];
  outbox: OutboxMessage[];
}

// The three lookups below run on tables that grow from empty: planned each time (see planEachTime).
const MEMBERSHIPS = planEachTime(
  `SELECT m.alert_id, m.incident_id, m.alert_sequence, i.status, i.rule_id, i.group_key
     FROM correlator.incident_alerts m JOIN correlator.incidents i ON i.id = m.incident_id
    WHERE m.alert_id = ANY($1::uuid[])`,
);

// Locks in a global order (the keys' hashes, sorted), so two batches cannot deadlock on them; the
// aggregate takes its input in the subquery's order.
const LOCK_GROUPS = statement(
  'correlator-lock-incident-groups',
  `SELECT count(pg_advisory_xact_lock(h)) AS n
     FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS s`,
);

const LOCK_INCIDENTS = planEachTime(
  `SELECT * FROM correlator.incidents
    WHERE id = ANY($1::uuid[])
       OR (status <> 'resolved' AND (rule_id, group_key) IN (SELECT * FROM unnest($2::uuid[], $3::text[])))
    ORDER BY id FOR UPDATE`,
);

const MEMBERS = planEachTime(`SELECT * FROM correlator.incident_alerts WHERE incident_id = ANY($1::uuid[])`);

const INCIDENT_COLUMNS = `id uuid, status text, severity text, title text, rule_id uuid, rule_name text,
  rule_version integer, resolve_policy text, window_seconds integer, threshold integer, group_key text,
  group_labels jsonb, alert_count integer, firing_count integer, first_alert_id uuid, last_alert_id uuid,
  started_at timestamptz, last_joined_at timestamptz, opened_at timestamptz, acknowledged_at timestamptz,
  acknowledged_by text, resolved_at timestamptz, sequence integer`;

const UPSERT_INCIDENTS = statement(
  'correlator-upsert-incidents',
  `INSERT INTO correlator.incidents AS i (id, status, severity, title, rule_id, rule_name, rule_version,
     resolve_policy, window_seconds, threshold, group_key, group_labels, alert_count, firing_count,
     first_alert_id, last_alert_id, started_at, last_joined_at, opened_at, acknowledged_at, acknowledged_by,
     resolved_at, sequence)
   SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${INCIDENT_COLUMNS}) ORDER BY id
   ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity,
     title = EXCLUDED.title, alert_count = EXCLUDED.alert_count, firing_count = EXCLUDED.firing_count,
     first_alert_id = EXCLUDED.first_alert_id, last_alert_id = EXCLUDED.last_alert_id,
     started_at = EXCLUDED.started_at, last_joined_at = EXCLUDED.last_joined_at,
     opened_at = EXCLUDED.opened_at, acknowledged_at = EXCLUDED.acknowledged_at,
     acknowledged_by = EXCLUDED.acknowledged_by, resolved_at = EXCLUDED.resolved_at,
     sequence = EXCLUDED.sequence, updated_at = now()`,
);

const DELETE_INCIDENTS = statement(
  'correlator-delete-incidents',
  'DELETE FROM correlator.incidents WHERE id = ANY($1::uuid[])',
);

const UPSERT_MEMBERS = statement(
  'correlator-upsert-incident-members',
  `INSERT INTO correlator.incident_alerts (incident_id, alert_id, joined_at, severity, firing, alert_sequence)
   SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, alert_id uuid, joined_at timestamptz,
     severity text, firing boolean, alert_sequence integer) ORDER BY incident_id, alert_id
   ON CONFLICT (incident_id, alert_id) DO UPDATE SET severity = EXCLUDED.severity, firing = EXCLUDED.firing,
     alert_sequence = EXCLUDED.alert_sequence, joined_at = EXCLUDED.joined_at`,
);

const DELETE_MEMBERS = statement(
  'correlator-delete-incident-members',
  `DELETE FROM correlator.incident_alerts m
    USING jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, alert_id uuid)
    WHERE m.incident_id = r.incident_id AND m.alert_id = r.alert_id`,
);

const INSERT_HISTORY = statement(
  'correlator-insert-incident-history',
  `INSERT INTO correlator.incident_history
     (incident_id, sequence, at, actor, action, from_status, to_status, alert_id, reason, command_id, details)
   SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, sequence integer, at timestamptz,
     actor text, action text, from_status text, to_status text, alert_id uuid, reason text, command_id text,
     details jsonb)`,
);

const COMMAND_RESULT = statement(
  'correlator-incident-command-result',
  `SELECT sequence, action, to_status FROM correlator.incident_history
    WHERE incident_id = $1 AND command_id = $2 ORDER BY sequence LIMIT 1`,
);

const FIND_INCIDENT = statement(
  'correlator-find-incident',
  'SELECT rule_id, group_key FROM correlator.incidents WHERE id = $1',
);

function toState(row: IncidentColumns, members: IncidentMember[]): IncidentState {
  return {
    id: row.id,
    status: row.status,
    severity: row.severity,
    title: row.title,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    ruleVersion: row.rule_version,
    resolvePolicy: row.resolve_policy,
    windowSeconds: row.window_seconds,
    threshold: row.threshold,
    groupKey: row.group_key,
    groupLabels: row.group_labels,
    firstAlertId: row.first_alert_id,
    lastAlertId: row.last_alert_id,
    startedAt: row.started_at,
    lastJoinedAt: row.last_joined_at,
    openedAt: row.opened_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    sequence: row.sequence,
    members: members.sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime()),
  };
}

function incidentRecord(incident: IncidentState) {
  return {
    id: incident.id,
    status: incident.status,
    severity: incident.severity,
    title: incident.title,
    rule_id: incident.ruleId,
    rule_name: incident.ruleName,
    rule_version: incident.ruleVersion,
    resolve_policy: incident.resolvePolicy,
    window_seconds: incident.windowSeconds,
    threshold: incident.threshold,
    group_key: incident.groupKey,
    group_labels: incident.groupLabels,
    alert_count: incident.members.length,
    firing_count: incident.members.filter((m) => m.firing).length,
    first_alert_id: incident.firstAlertId,
    last_alert_id: incident.lastAlertId,
    started_at: incident.startedAt,
    last_joined_at: incident.lastJoinedAt,
    opened_at: incident.openedAt,
    acknowledged_at: incident.acknowledgedAt,
    acknowledged_by: incident.acknowledgedBy,
    resolved_at: incident.resolvedAt,
    sequence: incident.sequence,
  };
}

/** The lock key of a rule's group: every change to the group's incidents holds it. */
export const groupLockKey = (ruleId: string, groupKey: string) => `incident-group:${ruleId}:${groupKey}`;

/** Every incident (live or resolved) the alerts belong to, in or out of a transaction. */
async function readMemberships(sql: Sql, alertIds: readonly string[]): Promise<Membership[]> {
  const rows = await sql.query<{
    alert_id: string;
    incident_id: string;
    alert_sequence: number;
    status: IncidentRowStatus;
    rule_id: string;
    group_key: string;
  }>(MEMBERSHIPS, [alertIds]);
  return rows.map((r) => ({
    alertId: r.alert_id,
    incidentId: r.incident_id,
    alertSequence: r.alert_sequence,
    status: r.status,
    ruleId: r.rule_id,
    groupKey: r.group_key,
  }));
}

/** The incident engine's reads and writes inside one transaction. */
export class IncidentsTransaction {
  constructor(private readonly sql: Sql) {}

  /** Every incident (live or resolved) the alerts belong to. */
  memberships(alertIds: readonly string[]): Promise<Membership[]> {
    return readMemberships(this.sql, alertIds);
  }

  async lockGroups(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.sql.query(LOCK_GROUPS, [keys]);
  }

  /**
   * Locks and loads, with their members, the incidents with these ids and the live incidents of
   * these groups (the caller holds the groups' locks).
   */
  async lockIncidents(
    ids: readonly string[],
    groups: readonly { ruleId: string; groupKey: string }[],
  ): Promise<IncidentState[]> {
    const rows = await this.sql.query<IncidentColumns>(LOCK_INCIDENTS, [
      ids,
      groups.map((g) => g.ruleId),
      groups.map((g) => g.groupKey),
    ]);
    if (!rows.length) return [];
    const memberRows = await this.sql.query<MemberColumns>(MEMBERS, [rows.map((r) => r.id)]);
    const byIncident = new Map<string, IncidentMember[]>();
    for (const m of memberRows) {
      const list = byIncident.get(m.incident_id) ?? [];
      list.push({
        alertId: m.alert_id,
        joinedAt: m.joined_at,
        severity: m.severity,
        firing: m.firing,
        alertSequence: m.alert_sequence,
      });
      byIncident.set(m.incident_id, list);
    }
    return rows.map((row) => toState(row, byIncident.get(row.id) ?? []));
  }

  /** The group of an incident (unlocked: to know which lock to take), if it exists. */
  async groupOf(id: string): Promise<{ ruleId: string; groupKey: string } | undefined> {
    const [row] = await this.sql.query<{ rule_id: string; group_key: string }>(FIND_INCIDENT, [id]);
    return row && { ruleId: row.rule_id, groupKey: row.group_key };
  }

  /** The first change a command with this id made on the incident, if it ran before. */
  async commandResult(
    incidentId: string,
    commandId: string,
  ): Promise<{ sequence: number; action: string; to_status: string } | undefined> {
    const [row] = await this.sql.query<{ sequence: number; action: string; to_status: string }>(
      COMMAND_RESULT,
      [incidentId, commandId],
    );
    return row;
  }

  async write(plan: IncidentWrite): Promise<void> {
    if (plan.incidents.length) {
      await this.sql.query(UPSERT_INCIDENTS, [JSON.stringify(plan.incidents.map(incidentRecord))]);
    }
    if (plan.removedMembers.length) {
      await this.sql.query(DELETE_MEMBERS, [
        JSON.stringify(plan.removedMembers.map((m) => ({ incident_id: m.incidentId, alert_id: m.alertId }))),
      ]);
    }
    if (plan.members.length) {
      await this.sql.query(UPSERT_MEMBERS, [
        JSON.stringify(
          plan.members.map((m) => ({
            incident_id: m.incidentId,
            alert_id: m.alertId,
            joined_at: m.joinedAt,
            severity: m.severity,
            firing: m.firing,
            alert_sequence: m.alertSequence,
          })),
        ),
      ]);
    }
    if (plan.deleted.length) await this.sql.query(DELETE_INCIDENTS, [plan.deleted]);
    if (plan.history.length) await this.sql.query(INSERT_HISTORY, [JSON.stringify(plan.history)]);
    await insertOutbox(this.sql, plan.outbox);
  }
}

@Injectable()
export class IncidentsRepository {
  constructor(private readonly sql: SqlPool) {}

  /** As `IncidentsTransaction.memberships`, outside any transaction. */
  memberships(alertIds: readonly string[]): Promise<Membership[]> {
    return readMemberships(this.sql, alertIds);
  }

  transaction<T>(work: (tx: IncidentsTransaction) => Promise<T>): Promise<T> {
    return this.sql.transaction((sql) => work(new IncidentsTransaction(sql)));
  }
}
