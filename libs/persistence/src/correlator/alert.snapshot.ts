import type { AlertSnapshotV1 } from '@vigil/contracts';
import { AlertEntity } from './alert.entity';

/** The alert as the contracts describe it: what `alerts.changed` carries and the query API returns. */
export function toAlertSnapshot(alert: AlertEntity): AlertSnapshotV1 {
  const snapshot: AlertSnapshotV1 = {
    id: alert.id,
    fingerprint: alert.fingerprint,
    status: alert.status,
    severity: alert.severity,
    tally: alert.tally,
    firstOccurrence: alert.firstOccurrence.toISOString(),
    lastOccurrence: alert.lastOccurrence.toISOString(),
    summary: alert.summary,
    node: alert.node,
    source: alert.source,
    type: alert.type,
    category: alert.category,
    labels: alert.labels,
    trend: alert.trend,
    flapping: alert.flapping,
  };
  if (alert.previousSeverity) snapshot.previousSeverity = alert.previousSeverity;
  if (alert.service) snapshot.service = alert.service;
  if (alert.environment) snapshot.environment = alert.environment;
  if (alert.priority) snapshot.priority = alert.priority;
  if (alert.team) snapshot.team = alert.team;
  if (alert.assignee) snapshot.assignee = alert.assignee;
  if (alert.snoozedUntil) snapshot.snoozedUntil = alert.snoozedUntil.toISOString();
  if (alert.suppressedBy) snapshot.suppressedBy = alert.suppressedBy;
  if (alert.inhibitedBy) snapshot.inhibitedBy = alert.inhibitedBy;
  return snapshot;
}
