import type { IncidentSnapshotV1 } from '@vigil/contracts';
import type { IncidentEntity } from './incident.entity';

export type IncidentSnapshotSource = Pick<
  IncidentEntity,
  | 'id'
  | 'status'
  | 'severity'
  | 'title'
  | 'ruleId'
  | 'ruleName'
  | 'ruleVersion'
  | 'resolvePolicy'
  | 'groupKey'
  | 'groupLabels'
  | 'alertCount'
  | 'firingCount'
  | 'firstAlertId'
  | 'lastAlertId'
  | 'startedAt'
  | 'openedAt'
  | 'acknowledgedAt'
  | 'acknowledgedBy'
  | 'resolvedAt'
>;

/**
 * The incident as the contracts describe it: what the incident change feed carries and the query API
 * returns. A pending incident is nobody's business yet; it is shown as opening when it started.
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
