import type { AlertChange, AlertChangedV1, NotificationKind } from '@vigil/contracts';
import { alertSubject, Notification, redactUrl } from '../channels';
import { feedTargetId } from '../config';

/**
 * Transitions someone must hear about. A severity change, an operator's acknowledgement,
 * assignment, note or snooze, and the closing of a resolved alert are not (yet) pages.
 */
const NOTIFIED: ReadonlySet<AlertChange> = new Set<AlertChange>([
  'opened',
  'reopened',
  'resolved',
  'expired',
  'unsnoozed',
  'flapping_started',
  'flapping_stopped',
  // A problem that outlived its maintenance window or inhibiting source, and the heads-up before.
  'released',
  'maintenance_ending',
]);

export function shouldNotify(change: AlertChange): boolean {
  return NOTIFIED.has(change);
}

/**
 * Why the correlator asked not to notify a change (`notify: false`), or undefined when it may be
 * notified: snoozed alerts announce nothing until the snooze ends, flapping ones are damped.
 */
export function suppression(message: AlertChangedV1): string | undefined {
  if (message.notify !== false) return undefined;
  if (message.quietReason === 'maintenance') return 'the alert is in a maintenance window';
  if (message.quietReason === 'inhibited') return 'the alert is inhibited by another alert';
  if (message.alert.status === 'snoozed') return 'the alert is snoozed';
  if (message.alert.flapping) return 'the alert is flapping (notifications damped until it is stable)';
  return 'the correlator marked it not to be notified';
}

/** Identifies a feed URL without storing its (possibly secret-bearing) text in a key. */
export const targetId = feedTargetId;

/**
 * One notification = one alert transition (alert id + sequence) to one feed URL. The delivery log
 * is unique on this key, which is what makes redeliveries and replicas queue nothing twice; it is
 * the same key the feed used before the delivery log served it, so receivers see no change.
 */
export function notificationKey(message: Pick<AlertChangedV1, 'alertId' | 'sequence'>, url: string): string {
  return `alert:${message.alertId}:${message.sequence}:webhook:${targetId(url)}`;
}

/** Strips credentials and the query from a URL before it is logged. */
export function displayTarget(url: string): string {
  return redactUrl(url, true);
}

/**
 * The delivery log's kind of a transition (what `notifications.failed` reports): one that makes the
 * alert fire, one that ends it, or news about it.
 */
export function transitionKind(change: AlertChange): NotificationKind {
  switch (change) {
    case 'opened':
    case 'reopened':
    case 'unsnoozed':
    case 'released':
      return 'triggered';
    case 'resolved':
    case 'expired':
    case 'closed':
      return 'resolved';
    case 'acknowledged':
      return 'acknowledged';
    case 'severity_changed':
    case 'unacknowledged':
    case 'assigned':
    case 'snoozed':
    case 'note_added':
    case 'flapping_started':
    case 'flapping_stopped':
    case 'suppressed':
    case 'inhibited':
    case 'maintenance_ending':
      return 'updated';
  }
}

/**
 * The notification a transition queues, the same for every feed URL but its id: the alert as a
 * notification subject (so any channel could say it) and the change itself, which the webhook
 * channel sends as the feed's body.
 */
export function feedNotification(message: AlertChangedV1, now: Date): Omit<Notification, 'id'> {
  return {
    kind: transitionKind(message.change),
    createdAt: now.toISOString(),
    subject: alertSubject(message.alert),
    links: {},
    ...(message.actor ? { actor: message.actor } : {}),
    transition: message,
  };
}
