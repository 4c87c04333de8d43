import { describeFieldErrors, FieldError, ProducerEventV1 } from '@vigil/contracts';
import { prefixedFingerprint } from '../keys';
import { sanitiseLabels } from '../labels';
import { fieldNamer, isRecord, Mapped, presentString, shown, validateCandidate } from '../mapping';

/**
 * The Panther console's HTTP event API (`POST /api/event/create|queue`, body `{"event": {...}}`),
 * validated as Panther's monitor validates it (oa-event-monitors lib/http/schema.js).
 */
export const PANTHER_SEVERITY_MIN = 0;
export const PANTHER_SEVERITY_MAX = 5;
/** Panther's default severity, 1 (indeterminate). */
export const DEFAULT_PANTHER_SEVERITY = 1;

/** Fields Panther sets itself and refuses from HTTP producers. */
export const PANTHER_FORBIDDEN_FIELDS = [
  '_id',
  'id',
  'agent',
  'group',
  'tally',
  'state_change',
  'first_occurrence',
  'last_occurrence',
] as const;

/** Prefix of fingerprints made from a Panther identifier, so they never equal Vigil's own hashes. */
export const PANTHER_FINGERPRINT_PREFIX = 'panther';

/** The event type when the event has neither `alert_group` nor `tag`. */
export const DEFAULT_PANTHER_TYPE = 'PantherEvent';

const REQUIRED_FIELDS: readonly string[] = ['node', 'summary'];

/** Fields with a place of their own in the producer event; every other one becomes a label. */
const MAPPED_FIELDS = new Set(['node', 'summary', 'severity', 'identifier']);

/** A valid Panther event, field by field, and the producer event it maps to. */
export interface PantherEvent {
  fields: Record<string, string | number>;
  event: ProducerEventV1;
}

/**
 * Panther interpolates `{field}` in an identifier with the event's fields before hashing it, and
 * HTTP producers may send such a template: taken literally, every event of a producer sending
 * `{node}:{summary}` would land on one alert. A placeholder naming no field is kept as written.
 */
export function interpolateIdentifier(
  template: string,
  fields: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{([^{}]+)\}/g, (placeholder, name: string) =>
    Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : placeholder,
  );
}

function readEvent(body: unknown): Mapped<Record<string, string | number>> {
  if (!isRecord(body) || !isRecord(body.event)) {
    const got = isRecord(body) ? body.event : body;
    return {
      ok: false,
      errors: [{ field: 'event', reason: `is required: the body is {"event": {...}} (got ${shown(got)})` }],
    };
  }
  const event = body.event;
  const errors: FieldError[] = [];
  for (const field of REQUIRED_FIELDS) {
    if (!presentString(event[field])) {
      errors.push({
        field: `event.${field}`,
        reason: `is required, a non-empty string (got ${shown(event[field])})`,
      });
    }
  }
  const severity = event.severity ?? DEFAULT_PANTHER_SEVERITY;
  if (
    !Number.isInteger(severity) ||
    (severity as number) < PANTHER_SEVERITY_MIN ||
    (severity as number) > PANTHER_SEVERITY_MAX
  ) {
    errors.push({
      field: 'event.severity',
      reason: `must be an integer from ${PANTHER_SEVERITY_MIN} (clear) to ${PANTHER_SEVERITY_MAX} (critical) (got ${shown(severity)})`,
    });
  }
  for (const [field, value] of Object.entries(event)) {
    if ((PANTHER_FORBIDDEN_FIELDS as readonly string[]).includes(field)) {
      errors.push({ field: `event.${field}`, reason: 'is set by the server and may not be sent' });
    } else if (field !== 'severity' && !REQUIRED_FIELDS.includes(field) && typeof value !== 'string') {
      errors.push({ field: `event.${field}`, reason: `must be a string (got ${shown(value)})` });
    }
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { ...(event as Record<string, string>), severity: severity as number } };
}

const PANTHER_FIELDS: Readonly<Record<string, string>> = {
  node: 'event.node',
  summary: 'event.summary',
  severity: 'event.severity',
  type: 'event.alert_group',
  fingerprint: 'event.identifier',
  labels: 'event',
  attributes: 'event',
};

/** Names a refusal's fields as the Panther body does (`event.node`, not `node`). */
export const pantherField = fieldNamer(PANTHER_FIELDS);

/**
 * A Panther event as a producer event of `source`. With an `identifier`, it (interpolated) is the
 * fingerprint. Without one, Vigil's default fingerprint applies (source, node, type, labels) rather
 * than Panther's `{node}:{severity}:{summary}`: a severity change or a reworded summary then updates
 * one alert instead of opening another. Producers relying on summaries to tell alerts apart send
 * `"identifier": "{node}:{summary}"`.
 */
export function mapPantherEvent(body: unknown, source: string): Mapped<PantherEvent> {
  const read = readEvent(body);
  if (!read.ok) return read;
  const fields = read.value;
  const extra = Object.fromEntries(Object.entries(fields).filter(([field]) => !MAPPED_FIELDS.has(field)));
  const { labels, dropped } = sanitiseLabels(extra);
  const event: ProducerEventV1 = {
    source,
    node: fields.node as string,
    type: presentString(fields.alert_group) ?? presentString(fields.tag) ?? DEFAULT_PANTHER_TYPE,
    summary: fields.summary as string,
    severity: fields.severity,
    labels,
    attributes: Object.keys(dropped).length ? { droppedLabels: dropped } : {},
  };
  const identifier = presentString(fields.identifier);
  if (identifier) {
    event.fingerprint = prefixedFingerprint(
      PANTHER_FINGERPRINT_PREFIX,
      interpolateIdentifier(identifier, fields),
    );
  }
  const validated = validateCandidate(event, pantherField);
  return validated.ok ? { ok: true, value: { fields, event } } : validated;
}

/** Panther's 400 body (`{error: {message}}`), plus Vigil's `{field, reason}` list. */
export function pantherErrorBody(errors: readonly FieldError[]) {
  return { error: { message: `invalid event: ${describeFieldErrors(errors)}` }, errors };
}
