import { createHash } from 'node:crypto';
import { AlertChange, AlertChangedV1 } from '@vigil/contracts';

/** Transitions someone must hear about; a severity change on an open alert is not (yet) a page. */
const NOTIFIED: ReadonlySet<AlertChange> = new Set(['opened', 'reopened', 'resolved']);

export function shouldNotify(change: AlertChange): boolean {
  return NOTIFIED.has(change);
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
  cause: { eventId: string };
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
    cause: { eventId: message.causeEventId },
  };
}
