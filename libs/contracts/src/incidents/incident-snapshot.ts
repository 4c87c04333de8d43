import type { Labels } from '../events/producer-event.v1';
import type { Severity } from '../severity';
import type { IncidentResolvePolicy, IncidentSnapshotV1, IncidentStatus } from './incident-changed.v1';

/**
 * An incident as a service holds it in memory or reads it from `correlator.incidents`: times as
 * `Date`, a missing value as null. `pending` is the correlator's own state before the rule's
 * threshold is reached; such an incident is never announced nor listed.
 */
export interface IncidentSnapshotSource {
  id: string;
  status: IncidentStatus | 'pending';
  severity: Severity;
  title: string;
  ruleId: string;
  ruleName: string;
  ruleVersion: number;
  resolvePolicy: IncidentResolvePolicy;
  groupKey: string;
  groupLabels: Labels;
  alertCount: number;
  firingCount: number;
  firstAlertId: string;
  lastAlertId: string;
  startedAt: Date;
  openedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
}

/**
 * The incident as the contracts describe it: what the incident change feed carries (correlator) and
 * the query API returns, from one function so the two cannot differ. A pending incident is nobody's
 * business yet; it is shown as opening when it started.
 */
export function toIncidentSnapshot(incident: IncidentSnapshotSource): IncidentSnapshotV1 {
  const snapshot: IncidentSnapshotV1 = {
    id: incident.id,
    status: incident.status === 'pending' ? 'open' : incident.status,
    severity: incident.severity,
    title: incident.title,
    ruleId: incident.ruleId,
    ruleName: incident.ruleName,
    ruleVersion: incident.ruleVersion,
    resolvePolicy: incident.resolvePolicy,
    groupKey: incident.groupKey,
    groupLabels: incident.groupLabels,
    alertCount: incident.alertCount,
    firingCount: incident.firingCount,
    firstAlertId: incident.firstAlertId,
    lastAlertId: incident.lastAlertId,
    openedAt: (incident.openedAt ?? incident.startedAt).toISOString(),
  };
  if (incident.acknowledgedAt) snapshot.acknowledgedAt = incident.acknowledgedAt.toISOString();
  if (incident.acknowledgedBy) snapshot.acknowledgedBy = incident.acknowledgedBy;
  if (incident.resolvedAt) snapshot.resolvedAt = incident.resolvedAt.toISOString();
  return snapshot;
}
