import type { AlertChange, AlertChangedV1 } from '@vigil/contracts';

/**
 * What each `NOTIFIER_WEBHOOK_URLS` receiver gets for an alert transition: the change as the
 * correlator announced it, whatever routing and escalation decide (docs/paging.md, "The transition
 * feed"). Kept as it was before the feed went through the delivery log.
 */
export interface TransitionFeedBodyV1 {
  version: 1;
  /** Also the `Idempotency-Key`: one per transition and receiver, the same on every attempt. */
  notificationId: string;
  kind: `alert.${AlertChange}`;
  /** When this attempt was sent. */
  sentAt: string;
  sequence: number;
  alert: AlertChangedV1['alert'];
  /** The event, or else the operator command (`actor`, `commandId`) or timer (`actor: system`), that caused it. */
  cause: { eventId: string | null; actor: string; commandId: string | null };
}

export function transitionFeedBody(
  message: AlertChangedV1,
  notificationId: string,
  now: Date,
): TransitionFeedBodyV1 {
  return {
    version: 1,
    notificationId,
    kind: `alert.${message.change}`,
    sentAt: now.toISOString(),
    sequence: message.sequence,
    alert: message.alert,
    cause: {
      eventId: message.causeEventId ?? null,
      actor: message.actor ?? 'system',
      commandId: message.commandId ?? null,
    },
  };
}
