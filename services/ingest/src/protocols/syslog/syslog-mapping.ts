import { Labels, LIMITS, ProducerEventV1, Severity } from '@vigil/contracts';
import type { SdElement, SyslogMessage } from './syslog-parser';

/** Every syslog event's source: one NATS subject token, so its accepted events share one subject. */
export const SYSLOG_SOURCE = 'syslog';
/** The type of a message that names no application. */
export const SYSLOG_DEFAULT_TYPE = 'syslog';
/** The summary of a message with no text (RFC 5424 allows MSG to be absent). */
export const EMPTY_MESSAGE_SUMMARY = '(no message text)';
const ELLIPSIS = '…';

/**
 * Syslog severity (RFC 5424 §6.2.1, the index) to X.733. Emergency, Alert and Critical all need
 * someone now; Error is a fault, so major; Notice, Informational and Debug become `indeterminate`,
 * the lowest level that is not `cleared`, because X.733 has no informational level and `cleared`
 * would resolve alerts. Nothing maps to `minor`: syslog has no level between Error and Warning.
 */
export const SYSLOG_SEVERITIES: readonly Severity[] = [
  'critical', // 0 Emergency
  'critical', // 1 Alert
  'critical', // 2 Critical
  'major', // 3 Error
  'warning', // 4 Warning
  'indeterminate', // 5 Notice
  'indeterminate', // 6 Informational
  'indeterminate', // 7 Debug
];

/**
 * Facility names (RFC 5424 §6.2.1, the index), as syslog.h and rsyslog spell them. 13 and 14 have
 * no agreed keyword: `security` and `console` are FreeBSD's, which the RFC's "log audit" and "log
 * alert" describe; 15 is `clock`, the second clock-daemon code (9 is `cron`).
 */
export const SYSLOG_FACILITIES: readonly string[] = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];

/**
 * RFC 5424 `meta` parameters that change with every message: as labels they would give each
 * message its own fingerprint, so they stay in `attributes.syslog.structuredData` only.
 */
const VOLATILE_PARAMS: ReadonlySet<string> = new Set(['meta.sequenceId', 'meta.sysUpTime']);

export interface SyslogPeer {
  address: string;
  port: number;
}

export interface MappingContext {
  /** Who sent it: the node when the message names no HOSTNAME. */
  peer: SyslogPeer;
  receivedAt: Date;
  /** INGEST_MAX_FUTURE_SECONDS in milliseconds. */
  maxFutureMs: number;
}

/** `1.2.3.4:514`, `[::1]:514`: the `origin.from` of every event from this peer. */
export function peerText(peer: SyslogPeer): string {
  const address = bareAddress(peer.address);
  return address.includes(':') ? `[${address}]:${peer.port}` : `${address}:${peer.port}`;
}

/** An IPv4 peer on a dual-stack socket appears as `::ffff:1.2.3.4`; the node is `1.2.3.4`. */
function bareAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * A parsed syslog message as Vigil's producer event; the contract still validates it.
 *
 * - `type` is APP-NAME (`syslog` without one), followed by `/MSGID` when there is one
 *   (`sshd/LOGIN_FAILED`): RFC 5424 defines MSGID as the type of message, and the same program's
 *   different messages should be different alerts. APP-NAME and MSGID are labels as well, to filter
 *   on either alone.
 * - PROCID goes to `attributes.syslog.procId`, not to the labels: every label is part of the
 *   default fingerprint, and a new PID at each restart would open a new alert for the same problem.
 * - `summary` is MSG trimmed, cut to the contract's limit with an ellipsis; the whole MSG is then
 *   kept in `attributes.message` (only then, so that the usual short message is not stored twice).
 * - STRUCTURED-DATA becomes `<sd-id>.<param>` labels (see `structuredDataLabels`) and is also kept
 *   whole, unsanitised, in `attributes.syslog.structuredData`.
 * - `occurredAt` is the TIMESTAMP in UTC. RFC 3164 has no zone: the time is read as UTC, and if that
 *   puts it more than INGEST_MAX_FUTURE_SECONDS ahead (a sender east of UTC logging local time) it
 *   is left out — the event is not refused for our guess — and the text stays in
 *   `attributes.syslog.timestamp`.
 */
export function toProducerEvent(message: SyslogMessage, context: MappingContext): ProducerEventV1 {
  const { labels: sdLabels, dropped } = structuredDataLabels(
    message.structuredData,
    LIMITS.labelCount - 3, // facility, appName, msgId
  );
  const labels = new Map<string, string>([['facility', SYSLOG_FACILITIES[message.facility]]]);
  if (message.appName !== undefined) labels.set('appName', labelValue(message.appName));
  if (message.msgId !== undefined) labels.set('msgId', labelValue(message.msgId));
  // Structured-data keys contain a dot (or are cut at 128 characters): they cannot overwrite these three.
  for (const [key, value] of Object.entries(sdLabels)) labels.set(key, value);

  const text = message.message.trim();
  const summary = text === '' ? EMPTY_MESSAGE_SUMMARY : truncate(text, LIMITS.summaryLength);
  const occurredAt = eventTime(message, context);

  const syslog: Record<string, unknown> = {
    format: message.format,
    facility: message.facility,
    severity: message.severity,
  };
  if (message.procId !== undefined) syslog.procId = message.procId;
  if (message.timestampText !== undefined) syslog.timestamp = message.timestampText;
  if (message.structuredData.length > 0) syslog.structuredData = structuredDataObject(message.structuredData);
  if (dropped.length > 0) syslog.droppedLabels = dropped;

  return {
    source: SYSLOG_SOURCE,
    node: message.hostname ?? bareAddress(context.peer.address),
    type: eventType(message),
    summary,
    severity: SYSLOG_SEVERITIES[message.severity],
    ...(occurredAt !== undefined ? { occurredAt } : {}),
    labels: Object.fromEntries(labels),
    attributes: { ...(summary !== text && text !== '' ? { message: text } : {}), syslog },
  };
}

function eventType(message: SyslogMessage): string {
  const app = message.appName ?? SYSLOG_DEFAULT_TYPE;
  return message.msgId !== undefined ? `${app}/${message.msgId}` : app;
}

function eventTime(message: SyslogMessage, context: MappingContext): string | undefined {
  if (!message.timestamp) return undefined;
  const guessed = message.timestampText !== undefined;
  if (guessed && message.timestamp.getTime() > context.receivedAt.getTime() + context.maxFutureMs) {
    return undefined;
  }
  return message.timestamp.toISOString();
}

/**
 * A label key from an SD-ID and a PARAM-NAME: characters LABEL_KEY_PATTERN does not allow become
 * `_` (`exampleSDID@32473.iut` → `exampleSDID_32473.iut`), a leading digit gets a `_` in front, and
 * the key is cut to the contract's length.
 */
export function sdLabelKey(id: string, param: string): string {
  const key = `${id}.${param}`.replace(/[^A-Za-z0-9_./-]/g, '_');
  const valid = /^[A-Za-z_]/.test(key) ? key : `_${key}`;
  return valid.slice(0, LIMITS.labelKeyLength);
}

/**
 * STRUCTURED-DATA as labels, in the order sent. A parameter repeated (RFC 5424 allows it, e.g.
 * several `origin.ip`), or two keys that sanitise alike, join their values with `,`. Keys beyond
 * `room` are not kept as labels and are listed in `dropped` (the data stays in the attributes).
 */
export function structuredDataLabels(
  elements: readonly SdElement[],
  room: number,
): { labels: Labels; dropped: string[] } {
  const labels = new Map<string, string>();
  const dropped: string[] = [];
  for (const element of elements) {
    for (const { name, value } of element.params) {
      if (VOLATILE_PARAMS.has(`${element.id}.${name}`)) continue;
      const key = sdLabelKey(element.id, name);
      const existing = labels.get(key);
      if (existing !== undefined) labels.set(key, labelValue(`${existing},${value}`));
      else if (labels.size < room) labels.set(key, labelValue(value));
      else if (!dropped.includes(key)) dropped.push(key);
    }
  }
  return { labels: Object.fromEntries(labels), dropped };
}

/** The elements as `{ [sdId]: { [param]: value } }`; a repeated parameter's values become an array. */
function structuredDataObject(elements: readonly SdElement[]): Record<string, Record<string, unknown>> {
  const byId = new Map<string, Map<string, string | string[]>>();
  for (const element of elements) {
    const params = byId.get(element.id) ?? new Map<string, string | string[]>();
    byId.set(element.id, params);
    for (const { name, value } of element.params) {
      const existing = params.get(name);
      if (existing === undefined) params.set(name, value);
      else params.set(name, Array.isArray(existing) ? [...existing, value] : [existing, value]);
    }
  }
  // fromEntries defines own properties, so an SD-ID such as "__proto__" is data, not a prototype.
  return Object.fromEntries([...byId].map(([id, params]) => [id, Object.fromEntries(params)]));
}

function labelValue(value: string): string {
  return truncate(value, LIMITS.labelValueLength);
}

/** At most `limit` UTF-16 units (the contract's measure), ending in an ellipsis when cut, never half a surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}
