import {
  FieldError,
  isTimestamp,
  LIMITS,
  normalizeSeverity,
  parseTimestamp,
  ProducerEventV1,
  Severity,
} from '@vigil/contracts';
import { contentId, prefixedFingerprint } from '../keys';
import { sanitiseLabels } from '../labels';
import {
  clipped,
  fieldNamer,
  isRecord,
  Mapped,
  presentString,
  shown,
  stringMapErrors,
  validateCandidate,
} from '../mapping';

/**
 * Prometheus Alertmanager's webhook receiver, payload version 4 (notify/webhook/webhook.go): one
 * notification carries a group of alerts, each of which becomes one Vigil event.
 */
export const ALERTMANAGER_WEBHOOK_VERSION = '4';

/** Prefix of the fingerprints taken from Alertmanager, so they never equal Vigil's own hashes. */
export const ALERTMANAGER_FINGERPRINT_PREFIX = 'am';

/**
 * Severity of a firing alert whose `severity` label is missing or not one Vigil knows (`none`,
 * `P2`…): Alertmanager only forwards alerts someone decided to route, so it is a problem, and
 * `warning` is the lowest level that is unmistakably one (`indeterminate` reads as "informational").
 */
export const DEFAULT_FIRING_SEVERITY: Severity = 'warning';

const ALERT_STATUSES = ['firing', 'resolved'] as const;
type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The notification's envelope; its alerts are read one by one so that one bad alert sinks only itself. */
export interface AlertmanagerNotification {
  version: typeof ALERTMANAGER_WEBHOOK_VERSION;
  alerts: unknown[];
  receiver?: string;
  status?: AlertStatus;
  groupKey?: string;
  externalURL?: string;
  groupLabels?: Record<string, string>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  truncatedAlerts?: number;
}

interface AlertmanagerAlert {
  status: AlertStatus;
  labels: Record<string, string> & { alertname: string };
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  fingerprint?: string;
  /** The alert as sent, Grafana's extra fields (silenceURL, values…) included. */
  raw: Record<string, unknown>;
}

export interface MappedAlert {
  index: number;
  /** A one-alert notification: what is archived if the alert is refused, and can be replayed as is. */
  bytes: Uint8Array;
  event: Mapped<ProducerEventV1>;
}

const fail = (field: string, reason: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ field, reason }],
});

/** Checks the envelope; 400 for the whole request when this fails. */
export function readNotification(body: unknown): Mapped<AlertmanagerNotification> {
  if (!isRecord(body)) {
    return fail('$', `must be a JSON object, an Alertmanager webhook notification (got ${shown(body)})`);
  }
  const errors: FieldError[] = [];
  if (body.version !== ALERTMANAGER_WEBHOOK_VERSION) {
    errors.push({
      field: 'version',
      reason: `must be "${ALERTMANAGER_WEBHOOK_VERSION}", the Alertmanager webhook payload version this endpoint reads (got ${shown(body.version)})`,
    });
  }
  if (!Array.isArray(body.alerts)) {
    errors.push({ field: 'alerts', reason: `must be an array of alerts (got ${shown(body.alerts)})` });
  }
  for (const field of ['receiver', 'groupKey', 'externalURL']) {
    if (body[field] !== undefined && typeof body[field] !== 'string') {
      errors.push({ field, reason: `must be a string (got ${shown(body[field])})` });
    }
  }
  if (body.status !== undefined && !ALERT_STATUSES.includes(body.status as AlertStatus)) {
    errors.push({ field: 'status', reason: `must be "firing" or "resolved" (got ${shown(body.status)})` });
  }
  for (const field of ['groupLabels', 'commonLabels', 'commonAnnotations']) {
    if (body[field] !== undefined) errors.push(...stringMapErrors(body[field], field));
  }
  const truncated = body.truncatedAlerts;
  if (truncated !== undefined && !(Number.isInteger(truncated) && (truncated as number) >= 0)) {
    errors.push({ field: 'truncatedAlerts', reason: `must be a whole number (got ${shown(truncated)})` });
  }
  return errors.length
    ? { ok: false, errors }
    : { ok: true, value: body as unknown as AlertmanagerNotification };
}

/** A timestamp that names a real instant: Go's zero time (year 1) means "not set". */
function instant(value: unknown): string | undefined {
  return isTimestamp(value) && parseTimestamp(value).getUTCFullYear() > 1 ? value : undefined;
}

function readAlert(value: unknown, field: string): Mapped<AlertmanagerAlert> {
  if (!isRecord(value)) return fail(field, `must be an alert object (got ${shown(value)})`);
  const errors: FieldError[] = [];
  if (!ALERT_STATUSES.includes(value.status as AlertStatus)) {
    errors.push({
      field: `${field}.status`,
      reason: `must be "firing" or "resolved" (got ${shown(value.status)})`,
    });
  }
  errors.push(...stringMapErrors(value.labels, `${field}.labels`));
  if (isRecord(value.labels) && !presentString(value.labels.alertname)) {
    errors.push({
      field: `${field}.labels.alertname`,
      reason: 'is required: it names what happened (the Prometheus alerting rule)',
    });
  }
  if (value.annotations !== undefined)
    errors.push(...stringMapErrors(value.annotations, `${field}.annotations`));
  if (!isTimestamp(value.startsAt)) {
    errors.push({
      field: `${field}.startsAt`,
      reason: `must be an RFC 3339 timestamp with a time zone (got ${shown(value.startsAt)})`,
    });
  }
  if (value.endsAt !== undefined && !isTimestamp(value.endsAt)) {
    errors.push({
      field: `${field}.endsAt`,
      reason: `must be an RFC 3339 timestamp with a time zone (got ${shown(value.endsAt)})`,
    });
  }
  if (value.fingerprint !== undefined && !presentString(value.fingerprint)) {
    errors.push({
      field: `${field}.fingerprint`,
      reason: `must be a non-empty string (got ${shown(value.fingerprint)})`,
    });
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      status: value.status as AlertStatus,
      labels: value.labels as AlertmanagerAlert['labels'],
      annotations: (value.annotations ?? {}) as Record<string, string>,
      startsAt: value.startsAt as string,
      endsAt: value.endsAt as string | undefined,
      fingerprint: value.fingerprint as string | undefined,
      raw: value,
    },
  };
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const UINT64 = (1n << 64n) - 1n;
const SEPARATOR_BYTE = 0xff;
const encoder = new TextEncoder();

/**
 * Alertmanager's fingerprint of a label set (prometheus/common `LabelSet.Fingerprint`: FNV-1a 64 over
 * the sorted names and values, each followed by 0xff, as 16 hex digits). Used for alerts that come
 * without one (Alertmanager before 0.20, hand-written senders), so they still key like Alertmanager.
 */
export function labelSetFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = FNV_OFFSET;
  const add = (bytes: Iterable<number>) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & UINT64;
  };
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add([SEPARATOR_BYTE]);
    add(encoder.encode(labels[name]));
    add([SEPARATOR_BYTE]);
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The host of a Prometheus `instance` (`web-1:9100` → `web-1`, `[::1]:9100` → `::1`), so that the
 * alerts of every exporter on one machine share its node; the full instance stays in the labels. A
 * URL (a blackbox probe's target) is kept whole: the URL is the thing that is down.
 */
export function instanceHost(instance: string): string {
  if (instance.includes('://')) return instance;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1];
  const hostAndPort = /^([^:]+):\d+$/.exec(instance);
  return hostAndPort ? hostAndPort[1] : instance;
}

export function nodeOf(labels: AlertmanagerAlert['labels']): string {
  const instance = presentString(labels.instance);
  if (instance) return instanceHost(instance);
  return presentString(labels.node) ?? presentString(labels.host) ?? labels.alertname;
}

/** `cleared` only when Alertmanager says resolved: a firing alert labelled `severity="ok"` is no clear. */
export function severityOf(status: AlertStatus, severityLabel: string | undefined): Severity {
  if (status === 'resolved') return 'cleared';
  const severity = normalizeSeverity(severityLabel);
  return severity && severity !== 'cleared' ? severity : DEFAULT_FIRING_SEVERITY;
}

/** An optional context field (service, environment), left out rather than refused when unusable. */
function context(value: string | undefined): string | undefined {
  const text = presentString(value)?.trim();
  return text && text.length <= LIMITS.contextLength ? text : undefined;
}

function toCandidate(
  alert: AlertmanagerAlert,
  notification: AlertmanagerNotification,
  source: string,
): ProducerEventV1 {
  const { labels, annotations, status } = alert;
  const fingerprint = alert.fingerprint ?? labelSetFingerprint(labels);
  const { labels: eventLabels, dropped } = sanitiseLabels(labels);
  const { labels: _labels, ...alertFields } = alert.raw;
  const summary =
    presentString(annotations.summary) ??
    presentString(annotations.description) ??
    presentString(annotations.message) ??
    labels.alertname;
  const occurredAt = status === 'firing' ? instant(alert.startsAt) : instant(alert.endsAt);
  const candidate: ProducerEventV1 = {
    // One occurrence per firing period and per resolution: Alertmanager's repeat notifications (and
    // an HA pair's duplicates) of the same period carry the same id and are stored once within the
    // duplicate window, while a re-fire after a resolve has a new startsAt and is a new occurrence.
    // endsAt is left out while firing: Alertmanager moves it forward with every notification.
    id: contentId(ALERTMANAGER_FINGERPRINT_PREFIX, [
      fingerprint,
      status,
      alert.startsAt,
      status === 'resolved' ? (alert.endsAt ?? null) : null,
    ]),
    source,
    node: nodeOf(labels),
    type: labels.alertname,
    summary: clipped(summary, LIMITS.summaryLength),
    severity: severityOf(status, labels.severity),
    labels: eventLabels,
    attributes: {
      alertmanager: {
        receiver: notification.receiver,
        externalURL: notification.externalURL,
        groupKey: notification.groupKey,
        ...alertFields,
      },
      ...(Object.keys(dropped).length ? { droppedLabels: dropped } : {}),
    },
    fingerprint: prefixedFingerprint(ALERTMANAGER_FINGERPRINT_PREFIX, fingerprint),
  };
  if (occurredAt) candidate.occurredAt = occurredAt;
  const service = context(labels.service);
  if (service) candidate.service = service;
  const environment = context(labels.env) ?? context(labels.environment);
  if (environment) candidate.environment = environment;
  return candidate;
}

/** Where a producer-event field came from in the alert, for error messages. */
const ALERT_FIELDS: Readonly<Record<string, string>> = {
  node: 'labels.instance',
  type: 'labels.alertname',
  summary: 'annotations.summary',
  severity: 'labels.severity',
  service: 'labels.service',
  environment: 'labels.env',
  fingerprint: 'fingerprint',
};

const encodedJson = (value: unknown) => encoder.encode(JSON.stringify(value));

/** Each alert of a notification as a producer event of `source`, or the reasons it cannot be one. */
export function mapAlerts(notification: AlertmanagerNotification, source: string): MappedAlert[] {
  const { alerts, ...envelope } = notification;
  return alerts.map((value, index) => {
    const field = `alerts[${index}]`;
    const bytes = encodedJson({ ...envelope, alerts: [value] });
    const alert = readAlert(value, field);
    if (!alert.ok) return { index, bytes, event: alert };
    const candidate = toCandidate(alert.value, notification, source);
    const event = validateCandidate(candidate, fieldNamer(ALERT_FIELDS, `${field}.`));
    return { index, bytes, event };
  });
}

/**
 * The status of the whole notification. Alertmanager retries only 5xx and reads no body, so:
 * - 503 when any alert could not be stored: the retry re-sends the whole group, and the alerts
 *   already stored come back as duplicates (same ids), so nothing is counted twice;
 * - 200 when some were stored, even if others were refused: a retry cannot fix a refused alert and
 *   would be retried forever; the refused ones are on the rejected stream and in `results`;
 * - 400 (413 when all were too large) when every alert was refused, so that Alertmanager's failed
 *   notification metric and log show a receiver that stores nothing.
 */
export function notificationStatus(results: readonly { status: number }[]): number {
  if (results.some((result) => result.status === 503)) return 503;
  if (results.length === 0 || results.some((result) => result.status === 202)) return 200;
  return results.every((result) => result.status === 413) ? 413 : 400;
}
