import { FieldError, isTimestamp } from '@vigil/contracts';

/**
 * Reading CloudEvents 1.0 (spec 1.0.2, JSON event format 1.0.2, HTTP binding 1.0.2, NATS binding
 * 1.0.3) from a message's headers and body, and checking what the spec requires of them. Nothing
 * here knows about Vigil's producer event: see `mapping.ts` for that.
 *
 * Content modes:
 * - structured: the body is one event in the JSON event format (`application/cloudevents+json`);
 * - binary: every attribute is a `ce-<name>` header (percent-encoded), the body is the data as-is,
 *   and its media type is `datacontenttype`. HTTP carries that in `Content-Type`; the NATS binding
 *   names a `ce-datacontenttype` header. Both are read over both transports, the `ce-` one first;
 * - batch (HTTP only): a JSON array of structured events (`application/cloudevents-batch+json`).
 */

export const CLOUDEVENTS_SPECVERSION = '1.0';
export const STRUCTURED_MEDIA_TYPE = 'application/cloudevents+json';
export const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';

/** Header values as Fastify (`string | string[]`) or nats.js (`string`) hand them over. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Extension attribute values: the JSON format carries Integer and Boolean natively, headers as text. */
export type ExtensionValue = string | number | boolean;

export type CloudEventData =
  | { kind: 'none' }
  /** JSON-formatted data, already decoded (may be `null`: an explicit null payload). */
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array };

export interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  extensions: Record<string, ExtensionValue>;
  data: CloudEventData;
}

export type ReadResult = { ok: true; event: CloudEvent } | { ok: false; errors: FieldError[] };

const CORE_ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
]);
const REQUIRED_ATTRIBUTES = ['specversion', 'id', 'source', 'type'] as const;
/** Spec §"Naming Conventions": lower-case ASCII letters and digits, nothing else. */
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;
// The String type excludes the C0 and C1 control characters.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/;
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*(;.*)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lower-cased names, first value of repeated headers: header names are case-insensitive in both bindings. */
export function normaliseHeaders(headers: HeaderMap): Record<string, string> {
  const normalised: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = typeof value === 'string' ? value : value?.[0];
    if (first !== undefined) normalised[name.toLowerCase()] ??= first;
  }
  return normalised;
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  return mediaType ? mediaType : undefined;
}

/** JSON event format §3.1: `*\/json` or `*\/*+json` declares JSON-formatted data. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = mediaTypeOf(contentType);
  return mediaType !== undefined && /^[^/]+\/(?:[^/]*\+)?json$/.test(mediaType);
}

/** The headers that belong to a CloudEvent (its `ce-*` attributes and content type), e.g. to archive them. */
export function cloudEventHeaders(headers: HeaderMap): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(normaliseHeaders(headers))) {
    if (name.startsWith('ce-') || name === 'content-type') kept[name] = value;
  }
  return kept;
}

export type HttpContentMode =
  { ok: true; mode: 'structured' | 'binary' | 'batch' } | { ok: false; reason: string };

/**
 * HTTP binding §3: the content type decides. Structured and batch need the JSON event format; any
 * other content type is binary mode only when `ce-specversion` says it is a CloudEvent (the binding
 * lets a receiver treat an unknown `application/cloudevents+…` format as binary too).
 */
export function httpContentMode(headers: HeaderMap): HttpContentMode {
  const normalised = normaliseHeaders(headers);
  const mediaType = mediaTypeOf(normalised['content-type']);
  const binary = normalised['ce-specversion'] !== undefined;
  if (mediaType?.startsWith('application/cloudevents-batch')) {
    if (mediaType === BATCH_MEDIA_TYPE) return { ok: true, mode: 'batch' };
    return { ok: false, reason: `the batch format ${mediaType} is not supported: send ${BATCH_MEDIA_TYPE}` };
  }
  if (mediaType === STRUCTURED_MEDIA_TYPE || mediaType === 'application/cloudevents') {
    return { ok: true, mode: 'structured' };
  }
  if (binary) return { ok: true, mode: 'binary' };
  if (mediaType?.startsWith('application/cloudevents')) {
    return {
      ok: false,
      reason: `the event format ${mediaType} is not supported: send ${STRUCTURED_MEDIA_TYPE}`,
    };
  }
  return {
    ok: false,
    reason: `Content-Type ${mediaType ?? '(none)'} without a ce-specversion header is not a CloudEvent: send ${STRUCTURED_MEDIA_TYPE} (structured), ${BATCH_MEDIA_TYPE} (batch), or the data with ce-specversion, ce-id, ce-source and ce-type headers (binary)`,
  };
}

const SPECVERSION_MARKER = Buffer.from('"specversion"');

/**
 * The body as a JSON object when it is a structured CloudEvent sent without any header: NATS binding
 * 1.0.2 (and NATS servers before 2.2) have no headers, so CloudEvents SDKs publish the bare JSON
 * event. A byte search comes first so that Vigil's own events, which cannot have a top-level
 * `specversion` (the producer event refuses unknown fields), are not parsed twice.
 */
export function sniffStructured(body: Uint8Array): Record<string, unknown> | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes.indexOf(SPECVERSION_MARKER) < 0) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isRecord(value) && Object.hasOwn(value, 'specversion') ? value : undefined;
  } catch {
    return undefined;
  }
}

export type NatsContentMode =
  { mode: 'structured'; parsed?: Record<string, unknown>; mediaType?: string } | { mode: 'binary' };

/**
 * NATS binding §3: `Content-Type: application/cloudevents…` is structured, else a `ce-specversion`
 * header is binary; else a body that is a JSON object with `specversion` is structured (see
 * `sniffStructured`). Anything else is not a CloudEvent (undefined): Vigil's own producer event.
 */
export function natsContentMode(headers: HeaderMap, body: Uint8Array): NatsContentMode | undefined {
  const normalised = normaliseHeaders(headers);
  const mediaType = mediaTypeOf(normalised['content-type']);
  if (mediaType?.startsWith('application/cloudevents')) return { mode: 'structured', mediaType };
  if (normalised['ce-specversion'] !== undefined) return { mode: 'binary' };
  const parsed = sniffStructured(body);
  return parsed ? { mode: 'structured', parsed } : undefined;
}

function parseJson(
  body: Uint8Array,
  field: string,
): { ok: true; value: unknown } | { ok: false; error: FieldError } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(body)) };
  } catch (error) {
    return { ok: false, error: { field, reason: `is not valid JSON (${messageOf(error)})` } };
  }
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Checks one attribute's value against the spec; `undefined` means it is fine. */
function attributeProblem(name: string, value: unknown): string | undefined {
  if (name === 'specversion') {
    return value === CLOUDEVENTS_SPECVERSION
      ? undefined
      : `must be "${CLOUDEVENTS_SPECVERSION}" (got ${show(value)}): only CloudEvents 1.0 is supported`;
  }
  if (CORE_ATTRIBUTES.has(name)) {
    if (typeof value !== 'string') return `must be a string (got ${show(value)})`;
    if (value === '') return 'must be a non-empty string';
  } else if (typeof value === 'number') {
    return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX
      ? undefined
      : `must be an integer between ${INT32_MIN} and ${INT32_MAX} (got ${value})`;
  } else if (typeof value === 'boolean') {
    return undefined;
  } else if (typeof value !== 'string') {
    return `must be a string, an integer or a boolean, as every CloudEvents attribute (got ${show(value)})`;
  }
  if (CONTROL_CHARACTERS.test(value)) return 'must not contain control characters';
  switch (name) {
    case 'time':
      return isTimestamp(value)
        ? undefined
        : `must be an RFC 3339 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z (got ${show(value)})`;
    case 'dataschema':
      return ABSOLUTE_URI.test(value) ? undefined : `must be an absolute URI (got ${show(value)})`;
    case 'datacontenttype':
      return MEDIA_TYPE.test(value)
        ? undefined
        : `must be a media type such as application/json (got ${show(value)})`;
    default:
      return undefined;
  }
}

function nameProblem(name: string): string | undefined {
  if (name === 'data') return 'is reserved: an attribute may not be named "data"';
  if (!ATTRIBUTE_NAME.test(name)) {
    return 'is not a valid attribute name: CloudEvents attribute names are lower-case letters and digits (a-z, 0-9)';
  }
  return undefined;
}

/** The context attributes, checked; extensions are every attribute the spec does not define. */
function buildEvent(
  attributes: Record<string, unknown>,
  data: CloudEventData,
  errors: FieldError[],
  describe: (name: string) => string = () => '',
): ReadResult {
  for (const name of REQUIRED_ATTRIBUTES) {
    if (attributes[name] === undefined) errors.push({ field: name, reason: `is required${describe(name)}` });
  }
  for (const [name, value] of Object.entries(attributes)) {
    const problem = attributeProblem(name, value);
    if (problem) errors.push({ field: name, reason: `${problem}${describe(name)}` });
  }
  if (errors.length) return { ok: false, errors };
  const extensions: Record<string, ExtensionValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!CORE_ATTRIBUTES.has(name)) extensions[name] = value as ExtensionValue;
  }
  const optional = (name: string) => attributes[name] as string | undefined;
  const event: CloudEvent = {
    specversion: attributes.specversion as string,
    id: attributes.id as string,
    source: attributes.source as string,
    type: attributes.type as string,
    extensions,
    data,
  };
  for (const name of ['subject', 'time', 'datacontenttype', 'dataschema'] as const) {
    const value = optional(name);
    if (value !== undefined) event[name] = value;
  }
  return { ok: true, event };
}

/** An event in the JSON event format, already parsed. */
export function readStructured(value: unknown): ReadResult {
  if (!isRecord(value)) {
    return {
      ok: false,
      errors: [{ field: '$', reason: 'must be a JSON object: one CloudEvent in the JSON event format' }],
    };
  }
  const errors: FieldError[] = [];
  const attributes: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (name === 'data' || name === 'data_base64') continue;
    // JSON format §2.2: null is the same as absent.
    if (attribute === null) continue;
    const problem = nameProblem(name);
    if (problem) errors.push({ field: name, reason: problem });
    else attributes[name] = attribute;
  }
  const contentType = typeof attributes.datacontenttype === 'string' ? attributes.datacontenttype : undefined;
  let data: CloudEventData = { kind: 'none' };
  const base64 = value.data_base64;
  const hasData = Object.hasOwn(value, 'data');
  if (base64 !== undefined && base64 !== null) {
    if (hasData) {
      errors.push({ field: 'data_base64', reason: 'must not be present together with data' });
    } else if (typeof base64 !== 'string' || !BASE64.test(base64.replace(/\s+/g, ''))) {
      errors.push({ field: 'data_base64', reason: 'must be a Base64 string (RFC 4648)' });
    } else {
      data = { kind: 'binary', bytes: new Uint8Array(Buffer.from(base64, 'base64')) };
    }
  } else if (hasData) {
    // JSON format §3.1.2: without a JSON datacontenttype, a string `data` is the encoded content itself.
    const text = contentType !== undefined && !isJsonMediaType(contentType) && typeof value.data === 'string';
    data = text ? { kind: 'text', text: value.data as string } : { kind: 'json', value: value.data };
  }
  return buildEvent(attributes, data, errors);
}

/** An event in the JSON event format, from the body's bytes. */
export function readStructuredBytes(body: Uint8Array): ReadResult {
  const parsed = parseJson(body, '$');
  return parsed.ok ? readStructured(parsed.value) : { ok: false, errors: [parsed.error] };
}

/**
 * Header value decoding (HTTP binding §3.1.3.2, NATS binding §3.1.3.2): unquote a double-quoted
 * string, then one round of percent-decoding; invalid UTF-8 (overlong forms included) is refused.
 */
export function decodeHeaderValue(raw: string): { ok: true; value: string } | { ok: false; reason: string } {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  try {
    return { ok: true, value: decodeURIComponent(value) };
  } catch {
    return { ok: false, reason: `is not valid percent-encoded UTF-8 (got ${show(raw)})` };
  }
}

function binaryData(body: Uint8Array, contentType: string | undefined): CloudEventData | FieldError {
  if (body.byteLength === 0) return { kind: 'none' };
  if (isJsonMediaType(contentType)) {
    const parsed = parseJson(body, 'data');
    if (!parsed.ok) {
      return { field: 'data', reason: `${parsed.error.reason}, although datacontenttype is ${contentType}` };
    }
    return { kind: 'json', value: parsed.value };
  }
  if (contentType === undefined) {
    // No media type at all: JSON is what producers overwhelmingly send, so it is tried first.
    const parsed = parseJson(body, 'data');
    if (parsed.ok) return { kind: 'json', value: parsed.value };
  }
  try {
    return { kind: 'text', text: utf8.decode(body) };
  } catch {
    return { kind: 'binary', bytes: body };
  }
}

/** An event in binary mode: attributes from `ce-*` headers, data from the body. */
export function readBinary(headers: HeaderMap, body: Uint8Array): ReadResult {
  const normalised = normaliseHeaders(headers);
  const errors: FieldError[] = [];
  const attributes: Record<string, unknown> = {};
  for (const [header, raw] of Object.entries(normalised)) {
    if (!header.startsWith('ce-')) continue;
    const name = header.slice(3);
    const problem = nameProblem(name);
    if (problem) {
      errors.push({ field: name, reason: `${problem} (header ${header})` });
      continue;
    }
    const decoded = decodeHeaderValue(raw);
    if (decoded.ok) attributes[name] = decoded.value;
    else errors.push({ field: name, reason: `${decoded.reason} (header ${header})` });
  }
  if (attributes.datacontenttype === undefined && normalised['content-type'] !== undefined) {
    attributes.datacontenttype = normalised['content-type'];
  }
  const contentType = typeof attributes.datacontenttype === 'string' ? attributes.datacontenttype : undefined;
  const data = binaryData(body, contentType);
  if ('field' in data) errors.push(data);
  return buildEvent(attributes, 'field' in data ? { kind: 'none' } : data, errors, (name) =>
    name === 'datacontenttype' ? '' : ` (header ce-${name})`,
  );
}

export type BatchResult = { ok: true; items: unknown[] } | { ok: false; errors: FieldError[] };

/** JSON batch format §4: a JSON array of events in the JSON event format (each read on its own). */
export function readBatch(body: Uint8Array): BatchResult {
  const parsed = parseJson(body, '$');
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  if (!Array.isArray(parsed.value)) {
    return {
      ok: false,
      errors: [{ field: '$', reason: 'must be a JSON array of CloudEvents (JSON batch format)' }],
    };
  }
  return { ok: true, items: parsed.value as unknown[] };
}

/** A NATS message `natsContentMode` found to be a CloudEvent. The NATS binding has no batch mode. */
export function readNatsMessage(mode: NatsContentMode, headers: HeaderMap, body: Uint8Array): ReadResult {
  if (mode.mode === 'binary') return readBinary(headers, body);
  if (mode.parsed) return readStructured(mode.parsed);
  const { mediaType } = mode;
  if (mediaType?.startsWith('application/cloudevents-batch')) {
    return {
      ok: false,
      errors: [
        { field: '$', reason: 'a CloudEvents batch cannot be sent over NATS: publish one event per message' },
      ],
    };
  }
  if (
    mediaType !== undefined &&
    mediaType !== STRUCTURED_MEDIA_TYPE &&
    mediaType !== 'application/cloudevents'
  ) {
    return {
      ok: false,
      errors: [
        {
          field: '$',
          reason: `the event format ${mediaType} is not supported: send ${STRUCTURED_MEDIA_TYPE}`,
        },
      ],
    };
  }
  return readStructuredBytes(body);
}
