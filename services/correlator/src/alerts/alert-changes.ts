import { AlertChange, AlertChangedV1, ClassifiedEventV1, SchemaIds, Subjects } from '@vigil/contracts';
import { AlertEntity, toAlertSnapshot } from '@vigil/persistence';
import type { AlertState, Occurrence } from './alert-lifecycle';
import type { OutboxMessage } from './alerts.repository';

export function occurrenceOf(event: ClassifiedEventV1): Occurrence {
  return {
    eventId: event.id,
    severity: event.severity,
    summary: event.summary,
    occurredAt: new Date(event.occurredAt),
  };
}

export function stateOf(alert: AlertEntity): AlertState {
  return {
    status: alert.status,
    severity: alert.severity,
    previousSeverity: alert.previousSeverity,
    tally: alert.tally,
    firstOccurrence: alert.firstOccurrence,
    lastOccurrence: alert.lastOccurrence,
    summary: alert.summary,
    sequence: alert.sequence,
    resolvedAt: alert.resolvedAt,
    lastEventId: alert.lastEventId,
  };
}

/**
 * The change message (`Subjects.AlertsChanged`) for a transition. Its id is derived from (alert, sequence), so the
 * relay can publish it again after a crash and the stream still stores it once.
 */
export function alertChangedMessage(
  alert: AlertEntity,
  change: AlertChange,
  cause: ClassifiedEventV1,
  headers: Record<string, string>,
): OutboxMessage {
  const payload: AlertChangedV1 = {
    schema: SchemaIds.AlertChangedV1,
    alertId: alert.id,
    sequence: alert.sequence,
    change,
    changedAt: new Date().toISOString(),
    causeEventId: cause.id,
    causeReceivedAt: cause.receivedAt,
    alert: toAlertSnapshot(alert),
  };
  return {
    family: Subjects.AlertsChanged,
    token: alert.id,
    msgId: `alert:${alert.id}:${alert.sequence}`,
    payload,
    headers,
  };
}
