import { createHash } from 'node:crypto';
import { AlertChange, AlertChangedV1 } from '@vigil/contracts';

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

/** Identifies a webhook target without storing its (possibly secret-bearing) URL in the key. */
export function targetId(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/**
 * One notification = one alert transition (alert id + sequence) to one target. The notification
 * log is unique on this key, which is what makes redeliveries and replicas send nothing twice.
 */
export function notificationKey(
  message: Pick<AlertChangedV1, 'alertId' | 'sequence'>,
  target: string,
): string {
  return `alert:${message.alertId}:${message.sequence}:webhook:${targetId(target)}`;
}

/** Strips credentials from a URL before it is logged or stored. */
export function displayTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '<invalid url>';
  }
}

export interface WebhookNotificationV1 {
  version: 1;
  notificationId: string;
  kind: `alert.${AlertChange}`;
  sentAt: string;
  sequence: number;
  alert: AlertChangedV1['alert'];
  /** The event, or else the operator command (`actor`, `commandId`) or timer (`actor: system`), that caused it. */
  cause: { eventId: string | null; actor: string; commandId: string | null };
}

export function webhookBody(
  message: AlertChangedV1,
  notificationId: string,
  now: Date,
): WebhookNotificationV1 {
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
