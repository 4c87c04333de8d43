import { AlertChangedV1, ClassifiedEventV1, SchemaIds, Subjects, toAlertSnapshot } from '@vigil/contracts';
import type { AlertState, Occurrence, Transition } from './alert-lifecycle';
import type { OutboxMessage } from '../outbox';
import type { AlertRow } from './alerts.rows';

/** The longest timeout an event may ask for (a year): anything longer is a typo, so it is ignored. */
const MAX_EVENT_TIMEOUT_SECONDS = 365 * 24 * 3600;

/** `attributes.timeoutSeconds` when it is a whole number of seconds in range; otherwise the default applies. */
export function eventTimeout(event: ClassifiedEventV1): number | undefined {
  const value = event.attributes?.['timeoutSeconds'];
  return typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= MAX_EVENT_TIMEOUT_SECONDS
    ? value
    : undefined;
}

export function occurrenceOf(event: ClassifiedEventV1): Occurrence {
  return {
    eventId: event.id,
    severity: event.severity,
    summary: event.summary,
    priority: event.priority,
    team: event.team,
    occurredAt: new Date(event.occurredAt),
    timeoutSeconds: eventTimeout(event),
  };
}

export function stateOf(alert: AlertRow): AlertState {
  return {
    status: alert.status,
    severity: alert.severity,
    previousSeverity: alert.previousSeverity,
    trend: alert.trend,
    tally: alert.tally,
    firstOccurrence: alert.firstOccurrence,
    lastOccurrence: alert.lastOccurrence,
    recentOccurrences: alert.recentOccurrences,
    summary: alert.summary,
    priority: alert.priority ?? null,
    team: alert.team ?? null,
    sequence: alert.sequence,
    resolvedAt: alert.resolvedAt,
    lastEventId: alert.lastEventId,
    assignee: alert.assignee,
    snoozedUntil: alert.snoozedUntil,
    statusBeforeSnooze: alert.statusBeforeSnooze,
    timeoutSeconds: alert.timeoutSeconds,
    statusChangedAt: alert.statusChangedAt,
    lastSeenAt: alert.lastSeenAt,
    flapping: alert.flapping,
    flapTransitions: alert.flapTransitions,
    suppressedBy: alert.suppressedBy ?? null,
    inhibitedBy: alert.inhibitedBy ?? null,
  };
}

export function withState(alert: AlertRow, state: AlertState, now: Date): AlertRow {
  return { ...alert, ...state, updatedAt: now };
}

/** What caused a decision: an event, an operator command or a timer. */
export interface Cause {
  /** `system`, or the operator. */
  actor: string;
  eventId?: string;
  commandId?: string;
  reason?: string;
  /** When the cause reached Vigil (event receipt, command receipt, timer due time), ISO 8601. */
  receivedAt: string;
  /** Carried onto the change messages (trace context). */
  headers: Record<string, string>;
}

/**
 * The change message (`Subjects.AlertsChanged`) for a transition, with the alert as that transition
 * left it. Its id is derived from (alert, sequence), so the relay can publish it again after a crash
 * and the stream still stores it once.
 */
export function alertChangedMessage(
  alert: AlertRow,
  transition: Transition,
  cause: Cause,
  now: Date,
): OutboxMessage<AlertChangedV1> {
  const then = withState(alert, transition.state, now);
  const payload: AlertChangedV1 = {
    schema: SchemaIds.AlertChangedV1,
    alertId: alert.id,
    sequence: transition.sequence,
    change: transition.change,
    changedAt: now.toISOString(),
    causeReceivedAt: cause.receivedAt,
    actor: cause.actor,
    notify: transition.notify,
    alert: toAlertSnapshot(then),
  };
  if (transition.quietReason) payload.quietReason = transition.quietReason;
  if (cause.eventId) payload.causeEventId = cause.eventId;
  if (cause.commandId) payload.commandId = cause.commandId;
  return {
    family: Subjects.AlertsChanged,
    token: alert.id,
    msgId: `alert:${alert.id}:${transition.sequence}`,
    payload,
    headers: cause.headers,
  };
}
