import type { Category, Priority } from '../category';
import type { Labels } from '../events/producer-event.v1';
import type { Severity } from '../severity';
import type { AlertSnapshotV1, AlertStatus, AlertTrend } from './alert-changed.v1';

/**
 * An alert as a service holds it in memory or reads it from `correlator.alerts`: times as `Date`,
 * a missing value as null. The correlator (its alert entity) and the query service (its read model)
 * both satisfy it, so a column added to the snapshot must be supplied by both.
 */
export interface AlertSnapshotSource {
  id: string;
  fingerprint: string;
  status: AlertStatus;
  severity: Severity;
  previousSeverity: Severity | null;
  tally: number;
  firstOccurrence: Date;
  lastOccurrence: Date;
  summary: string;
  node: string;
  source: string;
  type: string;
  category: Category;
  service: string | null;
  environment: string | null;
  labels: Labels;
  priority: Priority | null;
  team: string | null;
  trend: AlertTrend;
  flapping: boolean;
  assignee: string | null;
  snoozedUntil: Date | null;
  suppressedBy: string | null;
  inhibitedBy: string | null;
}

/**
 * The alert as the contracts describe it: what `alerts.changed` carries (correlator) and the query
 * API returns. One function for both, so the change feed and the API cannot describe an alert
 * differently (absent, not null, for a missing optional field; ISO strings for times).
 */
export function toAlertSnapshot(alert: AlertSnapshotSource): AlertSnapshotV1 {
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
