import { createHash } from 'node:crypto';
import { FieldError, LIMITS, normalizeSeverity, ProducerEventV1, Severity } from '@vigil/contracts';
import { CloudEvent, CloudEventData, ExtensionValue, ReadResult } from './cloudevent';
import { sanitiseLabels } from '../labels';

/**
 * How a CloudEvent becomes Vigil's producer event. Every rule is deterministic, so the same
 * CloudEvent always maps to the same producer event (and a re-send is recognised as one).
 *
 * - `id`: `ce-` + SHA-256 of (`source`, NUL, `id`), in hex. CloudEvents only promise that `source`
 *   + `id` is unique; ids are often counters or short strings, and many CloudEvents `source`s feed
 *   one Vigil source (everything over HTTP without `?source=` lands in `cloudevents`), so the bare
 *   `id` would make two producers' event "1" one event and drop the second as a duplicate. A
 *   readable `<id>@<source>` is ambiguous when either part contains the separator; hashing both is
 *   collision-free in practice, fits the id rules (printable ASCII, 67 characters) whatever the
 *   input, and still equal for a re-send. The original `id` and `source` stay in
 *   `attributes.cloudevent`.
 * - `source` (Vigil's): decided by the transport, never by the event: the raw subject's token over
 *   NATS, the gate's choice over HTTP. The CloudEvents `source` becomes the label `ce_source`.
 * - `type` ← `type`; `occurredAt` ← `time` (else, for Vigil-shaped data, its `occurredAt`).
 * - Vigil-shaped data: a JSON object `data` with `node`, `summary` and `severity` (what a producer
 *   event cannot do without; `source` and `type` come from the envelope) is Vigil's producer event
 *   riding in a CloudEvent. Its `node`, `summary`, `severity`, `labels`, `attributes`,
 *   `fingerprint`, `category`, `service` and `environment` are taken as they are and validated as
 *   any producer event (its labels win over the ones below). Its `id`, `source` and `type` are
 *   ignored (the envelope's win); any other member is kept in `attributes` rather than dropped.
 * - Other data: `node` ← `data.node`, else `subject`, else the host of an absolute `source` URI,
 *   else `source` itself; `summary` ← `data.summary`, else `data.message`, else `type` (and
 *   `: subject`); the data itself is kept in `attributes.data` (JSON), `attributes.data_text` or
 *   `attributes.data_base64` (the last two bounded to DATA_TEXT_LIMIT characters).
 * - `severity`: the first that Vigil understands of `data.severity`, the extension `severity`, the
 *   CloudEvents severity extension's `severitytext` then `severitynumber` (OpenTelemetry's scale),
 *   else `indeterminate`: an event that names no severity is informational, and X.733's lowest
 *   non-clearing level is how Vigil records "info" (see SEVERITY_ALIASES); `cleared` would resolve
 *   alerts.
 * - Extension attributes → labels (sanitised, as strings), except those that differ from one event
 *   to the next (trace context, sequence, timestamps, correlation ids, severities): labels are part
 *   of the default fingerprint, and a per-event label would open a new alert for every event.
 *   Every extension, label or not, is kept in `attributes.cloudevent.extensions`.
 * - The distributed tracing extension's `traceparent` is the event's trace context.
 */

/** What a CloudEvent maps to: a producer event to validate (not validated yet) and its trace context. */
export type ProducerCandidate = Partial<Record<keyof ProducerEventV1, unknown>>;

export interface MappedEvent {
  candidate: ProducerCandidate;
  /** The distributed tracing extension's `traceparent`, when the event has one. */
  traceparent?: string;
}

export interface MappingOptions {
  /** Vigil's source, as the transport decides it; absent when it cannot (then the event is refused). */
  source: string | undefined;
}

/** Characters of non-JSON data kept in the accepted event's attributes. */
export const DATA_TEXT_LIMIT = 16 * 1024;
/** The label that carries the CloudEvents `source`. */
export const SOURCE_LABEL = 'ce_source';
/** Extensions that describe one delivery rather than what happened: attributes only, never labels. */
export const PER_EVENT_EXTENSIONS: ReadonlySet<string> = new Set([
  'traceparent',
  'tracestate',
  'sequence',
  'sequencetype',
  'recordedtime',
  'expirytime',
  'sampledrate',
  'dataref',
  'partitionkey',
  'correlationid',
  'causationid',
  'authtype',
  'authid',
  'authclaims',
  'severity',
  'severitytext',
  'severitynumber',
]);

/** Producer event members a Vigil-shaped `data` supplies; the envelope supplies the rest. */
const DATA_FIELDS = [
  'node',
  'summary',
  'severity',
  'labels',
  'attributes',
  'fingerprint',
  'category',
  'service',
  'environment',
] as const;
const ENVELOPE_FIELDS = new Set(['id', 'source', 'type', 'occurredAt']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

function bounded(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** The producer id of a CloudEvent: see the mapping notes above. */
export function producerIdOf(source: string, id: string): string {
  return `ce-${createHash('sha256').update(source, 'utf8').update('\u0000').update(id, 'utf8').digest('hex')}`;
}

/** The CloudEvents severity extension's `severitynumber`, on OpenTelemetry's 1–24 scale. */
export function severityOfNumber(value: ExtensionValue | undefined): Severity | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 24) return undefined;
  // TRACE 1–4, DEBUG 5–8 and INFO 9–12 are informational; WARN 13–16, ERROR 17–20, FATAL 21–24.
  if (number <= 12) return 'indeterminate';
  if (number <= 16) return 'warning';
  if (number <= 20) return 'major';
  return 'critical';
}

function understood(value: unknown): string | number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return normalizeSeverity(value) ? value : undefined;
}

function severityOf(event: CloudEvent, data: Record<string, unknown> | undefined): string | number {
  const text = event.extensions.severitytext;
  return (
    understood(data?.severity) ??
    understood(event.extensions.severity) ??
    // OpenTelemetry's TRACE is finer than DEBUG: informational like it.
    (typeof text === 'string' && text.trim().toLowerCase() === 'trace'
      ? 'indeterminate'
      : understood(text)) ??
    severityOfNumber(event.extensions.severitynumber) ??
    'indeterminate'
  );
}

function hostOf(source: string): string | undefined {
  try {
    return new URL(source).hostname || undefined;
  } catch {
    return undefined;
  }
}

function envelopeOf(event: CloudEvent): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    specversion: event.specversion,
    id: event.id,
    source: event.source,
    type: event.type,
  };
  for (const name of ['subject', 'time', 'datacontenttype', 'dataschema'] as const) {
    if (event[name] !== undefined) envelope[name] = event[name];
  }
  if (Object.keys(event.extensions).length) envelope.extensions = { ...event.extensions };
  return envelope;
}

/** Non-Vigil data, kept in attributes; text and binary are bounded, JSON is kept whole. */
function dataAttributes(data: CloudEventData): Record<string, unknown> {
  switch (data.kind) {
    case 'none':
      return {};
    case 'json':
      return { data: data.value };
    case 'text':
      return data.text.length <= DATA_TEXT_LIMIT
        ? { data_text: data.text }
        : {
            data_text: data.text.slice(0, DATA_TEXT_LIMIT),
            data_truncated: true,
            data_length: data.text.length,
          };
    case 'binary': {
      const base64 = Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength).toString(
        'base64',
      );
      return base64.length <= DATA_TEXT_LIMIT
        ? { data_base64: base64 }
        : {
            data_base64: base64.slice(0, DATA_TEXT_LIMIT),
            data_truncated: true,
            data_length: data.bytes.byteLength,
          };
    }
  }
}

/** Extension attributes that may become labels, plus the CloudEvents source. */
function extensionLabels(event: CloudEvent): Record<string, string> {
  // ce_source first, so it is the last to give way to the label limit.
  const record: Record<string, unknown> = { [SOURCE_LABEL]: event.source };
  for (const [name, value] of Object.entries(event.extensions)) {
    if (!PER_EVENT_EXTENSIONS.has(name)) record[name] = value;
  }
  // What cannot be a label (too long, past the limit) is still in attributes.cloudevent.
  return sanitiseLabels(record).labels;
}

/** Labels of both origins; the data's win, and the extensions' give way when there are too many. */
function mergeLabels(fromExtensions: Record<string, string>, fromData: unknown): unknown {
  if (fromData === undefined || fromData === null) return fromExtensions;
  // Not a label map: passed on as it is, so validation names the problem.
  if (!isRecord(fromData)) return fromData;
  const merged: Record<string, unknown> = { ...fromData };
  let room = LIMITS.labelCount - Object.keys(merged).length;
  for (const key of Object.keys(fromExtensions)) {
    if (room <= 0) break;
    if (Object.hasOwn(merged, key)) continue;
    merged[key] = fromExtensions[key];
    room--;
  }
  return merged;
}

/** A JSON object `data` that is Vigil's producer event; see the mapping notes above. */
export function isVigilShaped(
  data: CloudEventData,
): data is { kind: 'json'; value: Record<string, unknown> } {
  return (
    data.kind === 'json' &&
    isRecord(data.value) &&
    data.value.node !== undefined &&
    data.value.summary !== undefined &&
    data.value.severity !== undefined
  );
}

function fromVigilData(event: CloudEvent, data: Record<string, unknown>, candidate: ProducerCandidate): void {
  for (const field of DATA_FIELDS) {
    if (data[field] !== undefined && data[field] !== null) candidate[field] = data[field];
  }
  if (candidate.occurredAt === undefined && data.occurredAt !== undefined && data.occurredAt !== null) {
    candidate.occurredAt = data.occurredAt;
  }
  candidate.labels = mergeLabels(extensionLabels(event), data.labels);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!(DATA_FIELDS as readonly string[]).includes(key) && !ENVELOPE_FIELDS.has(key)) extra[key] = value;
  }
  const own = data.attributes;
  // Not an object: passed on as it is, so validation names the problem.
  candidate.attributes =
    own === undefined || own === null || isRecord(own)
      ? { cloudevent: envelopeOf(event), ...extra, ...(own ?? {}) }
      : own;
}

function fromOtherData(event: CloudEvent, candidate: ProducerCandidate): void {
  const data = event.data.kind === 'json' && isRecord(event.data.value) ? event.data.value : undefined;
  const subject = nonEmpty(event.subject);
  candidate.node = bounded(
    nonEmpty(data?.node) ?? subject ?? hostOf(event.source) ?? event.source,
    LIMITS.nodeLength,
  );
  candidate.summary = bounded(
    nonEmpty(data?.summary) ??
      nonEmpty(data?.message) ??
      (subject ? `${event.type}: ${subject}` : event.type),
    LIMITS.summaryLength,
  );
  candidate.severity = severityOf(event, data);
  candidate.labels = extensionLabels(event);
  candidate.attributes = { cloudevent: envelopeOf(event), ...dataAttributes(event.data) };
}

/** Maps a valid CloudEvent onto Vigil's producer event; see the mapping notes above. */
export function toProducerEvent(event: CloudEvent, options: MappingOptions): MappedEvent {
  const candidate: ProducerCandidate = {
    id: producerIdOf(event.source, event.id),
    type: event.type,
  };
  if (options.source !== undefined) candidate.source = options.source;
  if (event.time !== undefined) candidate.occurredAt = event.time;
  if (isVigilShaped(event.data)) fromVigilData(event, event.data.value, candidate);
  else fromOtherData(event, candidate);
  const traceparent = event.extensions.traceparent;
  return typeof traceparent === 'string' ? { candidate, traceparent } : { candidate };
}

export type Decoded = ({ ok: true } & MappedEvent) | { ok: false; errors: FieldError[] };

/** A read CloudEvent mapped, or the reasons it could not be read. */
export function decoded(read: ReadResult, options: MappingOptions): Decoded {
  return read.ok ? { ok: true, ...toProducerEvent(read.event, options) } : read;
}
