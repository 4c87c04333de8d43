import type { AlertChangedV1, IncidentChangedV1 } from '@vigil/contracts';
import type { LabelSet } from '@vigil/matching';
import { alertSubject, incidentSubject } from '../channels';
import type { NotificationSubject, SubjectKind } from '../channels';

/**
 * Where a subject stands for paging. `quiet`: it would be firing, but the correlator asked not to
 * notify it (snoozed, in maintenance, inhibited, flapping); it neither pages nor keeps a page open.
 */
export type MemberState = 'firing' | 'acknowledged' | 'resolved' | 'quiet';

/** One alert or incident change, as paging sees it. */
export interface SubjectChange {
  kind: SubjectKind;
  id: string;
  sequence: number;
  state: MemberState;
  /** Why a quiet subject is not notified, for the log. */
  quietReason?: string;
  /** What routing matchers and `groupBy` see. */
  fields: LabelSet;
  subject: NotificationSubject;
  actor?: string;
  changedAt: string;
  /** When the event behind the change reached Vigil: publish-to-page latency is measured from it. */
  causeReceivedAt: string;
}

function labelFields(labels: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(labels)) {
    fields[name] = value;
    fields[`labels.${name}`] = value;
  }
  return fields;
}

function alertQuietReason(message: AlertChangedV1): string | undefined {
  if (message.notify !== false) return undefined;
  switch (message.quietReason) {
    case 'maintenance':
      return 'the alert is in a maintenance window';
    case 'inhibited':
      return 'the alert is inhibited by another alert';
    case 'flapping':
      return 'the alert is flapping (notifications damped until it is stable)';
    case 'snoozed':
      return 'the alert is snoozed';
    case undefined:
      return 'the correlator marked it not to be notified';
  }
}

function alertState(message: AlertChangedV1, quietReason: string | undefined): MemberState {
  switch (message.alert.status) {
    case 'open':
      return quietReason ? 'quiet' : 'firing';
    case 'acknowledged':
      return 'acknowledged';
    case 'snoozed':
      return 'quiet';
    case 'resolved':
    case 'expired':
    case 'closed':
      return 'resolved';
  }
}

/**
 * An alert change for paging. The alert's own fields win over labels of the same name (a
 * producer's label cannot make an alert look like another node), as in the correlator's matchers.
 */
export function alertSubjectChange(message: AlertChangedV1): SubjectChange {
  const { alert } = message;
  const quietReason = alertQuietReason(message);
  const state = alertState(message, quietReason);
  const fields: Record<string, string | undefined> = {
    ...labelFields(alert.labels),
    kind: 'alert',
    status: alert.status,
    severity: alert.severity,
    priority: alert.priority,
    team: alert.team ?? alert.labels.team,
    node: alert.node,
    service: alert.service,
    source: alert.source,
    type: alert.type,
    category: alert.category,
    environment: alert.environment,
  };
  return {
    kind: 'alert',
    id: message.alertId,
    sequence: message.sequence,
    state,
    ...(state === 'quiet' ? { quietReason: quietReason ?? 'the alert is snoozed' } : {}),
    fields,
    subject: alertSubject(alert),
    ...(message.actor ? { actor: message.actor } : {}),
    changedAt: message.changedAt,
    causeReceivedAt: message.causeReceivedAt,
  };
}

function incidentState(status: IncidentChangedV1['incident']['status']): MemberState {
  if (status === 'open') return 'firing';
  return status === 'acknowledged' ? 'acknowledged' : 'resolved';
}

/** An incident change for paging: its group labels, rule and severity are what routes see. */
export function incidentSubjectChange(message: IncidentChangedV1): SubjectChange {
  const { incident } = message;
  const fields: Record<string, string | undefined> = {
    ...labelFields(incident.groupLabels),
    kind: 'incident',
    status: incident.status,
    severity: incident.severity,
    rule: incident.ruleName,
  };
  return {
    kind: 'incident',
    id: message.incidentId,
    sequence: message.sequence,
    state: incidentState(incident.status),
    fields,
    subject: incidentSubject(incident),
    ...(message.actor ? { actor: message.actor } : {}),
    changedAt: message.changedAt,
    causeReceivedAt: message.causeReceivedAt,
  };
}
