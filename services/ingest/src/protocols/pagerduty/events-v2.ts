import { FieldError, isTimestamp, LIMITS, ProducerEventV1 } from '@vigil/contracts';
import { contentId, prefixedFingerprint } from '../keys';
import { sanitiseLabels } from '../labels';
import { fieldNamer, isRecord, Mapped, presentString, shown, validateCandidate } from '../mapping';

/** PagerDuty Events API v2 (`POST /v2/enqueue`), alert events. */
export const PAGERDUTY_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type PagerDutyAction = (typeof PAGERDUTY_ACTIONS)[number];

/** PD-CEF severities; Vigil's alias table maps them (error → major, info → indeterminate). */
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

/** PagerDuty's own limit on `dedup_key`. */
export const DEDUP_KEY_MAX_LENGTH = 255;

/** Prefix of fingerprints made from a `dedup_key`, so they never equal Vigil's own hashes. */
export const PAGERDUTY_FINGERPRINT_PREFIX = 'pd';

/** The event type when the payload has neither `class` nor `component`. */
export const DEFAULT_PAGERDUTY_TYPE = 'pagerduty';

/**
 * A valid Events v2 call. Trigger and resolve become producer events; acknowledge carries only what
 * an acknowledge command will need (the alert's fingerprint), see the controller.
 */
export type PagerDutyEvent =
  | { action: 'trigger' | 'resolve'; dedupKey: string; event: ProducerEventV1 }
  | { action: 'acknowledge'; dedupKey: string; fingerprint: string; commandId: string };

export interface PagerDutyContext {
  source: string;
  /** PagerDuty generates a dedup_key for a trigger without one (a UUID) and returns it. */
  newDedupKey: () => string;
}

const ISO_8601_WITH_ZONE =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * PD-CEF timestamps are ISO 8601 and PagerDuty's own example uses `+0000`, which RFC 3339 does not
 * allow: the zone gets its colon (and minutes), a missing seconds field becomes `:00`.
 */
export function rfc3339Timestamp(value: string): string | undefined {
  const match = ISO_8601_WITH_ZONE.exec(value.trim());
  if (!match) return undefined;
  const [, date, hoursMinutes, seconds = ':00', zone] = match;
  const offset =
    zone === 'Z' || zone === 'z'
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const normalised = `${date}T${hoursMinutes}${seconds}${offset}`;
  return isTimestamp(normalised) ? normalised : undefined;
}

/** A string field of the payload that can be used as it is, for actions whose payload PagerDuty ignores. */
function usable(value: unknown, maxLength: number): string | undefined {
  const text = presentString(value);
  return text !== undefined && text.length <= maxLength ? text : undefined;
}

function readEnvelope(body: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  if (!presentString(body.routing_key)) {
    errors.push({
      field: 'routing_key',
      reason: `is required: the integration key, for Vigil an API key (got ${shown(body.routing_key)})`,
    });
  }
  if (!PAGERDUTY_ACTIONS.includes(body.event_action as PagerDutyAction)) {
    errors.push({
      field: 'event_action',
      reason: `must be one of ${PAGERDUTY_ACTIONS.join(', ')} (got ${shown(body.event_action)})`,
    });
  }
  const dedupKey = body.dedup_key;
  if (dedupKey !== undefined && dedupKey !== null) {
    if (typeof dedupKey !== 'string' || dedupKey === '') {
      errors.push({ field: 'dedup_key', reason: `must be a non-empty string (got ${shown(dedupKey)})` });
    } else if (dedupKey.length > DEDUP_KEY_MAX_LENGTH) {
      errors.push({ field: 'dedup_key', reason: `must be at most ${DEDUP_KEY_MAX_LENGTH} characters` });
    }
  } else if (body.event_action === 'acknowledge' || body.event_action === 'resolve') {
    errors.push({
      field: 'dedup_key',
      reason: `is required to ${body.event_action}: it names the alert the trigger opened`,
    });
  }
  for (const field of ['images', 'links']) {
    if (body[field] !== undefined && body[field] !== null && !Array.isArray(body[field])) {
      errors.push({ field, reason: `must be an array of objects (got ${shown(body[field])})` });
    }
  }
  for (const field of ['client', 'client_url']) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string') {
      errors.push({ field, reason: `must be a string (got ${shown(body[field])})` });
    }
  }
  return errors;
}

/** A trigger's payload, checked as PagerDuty checks it (PD-CEF: summary, source and severity required). */
function readTriggerPayload(payload: unknown): FieldError[] {
  if (!isRecord(payload)) {
    return [{ field: 'payload', reason: `is required to trigger, as an object (got ${shown(payload)})` }];
  }
  const errors: FieldError[] = [];
  for (const field of ['summary', 'source']) {
    if (!presentString(payload[field])) {
      errors.push({
        field: `payload.${field}`,
        reason: `is required, a non-empty string (got ${shown(payload[field])})`,
      });
    }
  }
  if (!PAGERDUTY_SEVERITIES.includes(payload.severity as (typeof PAGERDUTY_SEVERITIES)[number])) {
    errors.push({
      field: 'payload.severity',
      reason: `must be one of ${PAGERDUTY_SEVERITIES.join(', ')} (got ${shown(payload.severity)})`,
    });
  }
  if (payload.timestamp !== undefined && payload.timestamp !== null) {
    if (typeof payload.timestamp !== 'string' || !rfc3339Timestamp(payload.timestamp)) {
      errors.push({
        field: 'payload.timestamp',
        reason: `must be an ISO 8601 timestamp with a time zone, e.g. 2015-07-17T08:42:58.315+0000 (got ${shown(payload.timestamp)})`,
      });
    }
  }
  for (const field of ['component', 'group', 'class']) {
    if (payload[field] !== undefined && payload[field] !== null && typeof payload[field] !== 'string') {
      errors.push({ field: `payload.${field}`, reason: `must be a string (got ${shown(payload[field])})` });
    }
  }
  return errors;
}

function without<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined && value !== null),
  ) as Partial<T>;
}

/** Where a producer-event field came from in an Events v2 body, for error messages. */
const PAGERDUTY_FIELDS: Readonly<Record<string, string>> = {
  node: 'payload.source',
  type: 'payload.class',
  summary: 'payload.summary',
  severity: 'payload.severity',
  occurredAt: 'payload.timestamp',
  'labels.group': 'payload.group',
  'labels.component': 'payload.component',
  labels: 'payload',
  attributes: 'payload.custom_details',
  fingerprint: 'dedup_key',
  id: 'dedup_key',
};

/** Names a refusal's fields as the Events v2 body does (`payload.summary`, not `summary`). */
export const pagerDutyField = fieldNamer(PAGERDUTY_FIELDS);

/** A trigger's fields are used as sent (validation names any that is wrong); a resolve's only if usable. */
function payloadText(action: 'trigger' | 'resolve', value: unknown, maxLength: number): string | undefined {
  return action === 'trigger' ? presentString(value) : usable(value, maxLength);
}

function toEvent(
  body: Record<string, unknown>,
  action: 'trigger' | 'resolve',
  dedupKey: string,
  source: string,
): ProducerEventV1 {
  const payload = isRecord(body.payload) ? body.payload : {};
  const component = payloadText(action, payload.component, LIMITS.typeLength);
  const group = presentString(payload.group);
  const timestamp = typeof payload.timestamp === 'string' ? rfc3339Timestamp(payload.timestamp) : undefined;
  const { labels, dropped } = sanitiseLabels(without({ event_action: action, group, component }));
  const event: ProducerEventV1 = {
    // Not the bare dedup_key: a trigger, its resolve and a later re-trigger share it. An identical
    // call re-sent within the duplicate window (a client retrying after a timeout) is one occurrence,
    // which also means an identical trigger without a timestamp repeated within the window is too.
    id: contentId(PAGERDUTY_FINGERPRINT_PREFIX, [action, dedupKey, body.payload ?? null]),
    source,
    // PagerDuty ignores the payload of a resolve: what is usable of it is kept for the record, and a
    // resolve is never refused over it.
    node: payloadText(action, payload.source, LIMITS.nodeLength) ?? dedupKey,
    type: payloadText(action, payload.class, LIMITS.typeLength) ?? component ?? DEFAULT_PAGERDUTY_TYPE,
    summary:
      payloadText(action, payload.summary, LIMITS.summaryLength) ??
      `Resolved through the PagerDuty Events API: ${dedupKey}`,
    severity: action === 'trigger' ? (payload.severity as string) : 'cleared',
    labels,
    attributes: {
      pagerduty: without({
        action,
        dedup_key: dedupKey,
        client: body.client,
        client_url: body.client_url,
        custom_details: payload.custom_details,
        images: body.images,
        links: body.links,
      }),
      ...(Object.keys(dropped).length ? { droppedLabels: dropped } : {}),
    },
    fingerprint: prefixedFingerprint(PAGERDUTY_FINGERPRINT_PREFIX, dedupKey),
  };
  if (timestamp) event.occurredAt = timestamp;
  return event;
}

/** An Events v2 body as the event it describes, or PagerDuty's reasons to refuse it. */
export function mapPagerDutyEvent(body: unknown, context: PagerDutyContext): Mapped<PagerDutyEvent> {
  if (!isRecord(body)) {
    return { ok: false, errors: [{ field: '$', reason: `must be a JSON object (got ${shown(body)})` }] };
  }
  const errors = readEnvelope(body);
  if (body.event_action === 'trigger') errors.push(...readTriggerPayload(body.payload));
  if (errors.length) return { ok: false, errors };

  const action = body.event_action as PagerDutyAction;
  const dedupKey = (body.dedup_key as string | undefined) ?? context.newDedupKey();
  if (action === 'acknowledge') {
    return {
      ok: true,
      value: {
        action,
        dedupKey,
        fingerprint: prefixedFingerprint(PAGERDUTY_FINGERPRINT_PREFIX, dedupKey),
        // A re-sent acknowledge is the same command: the correlator applies it once.
        commandId: contentId(PAGERDUTY_FINGERPRINT_PREFIX, [action, dedupKey, body.payload ?? null]),
      },
    };
  }
  const event = toEvent(body, action, dedupKey, context.source);
  const validated = validateCandidate(event, pagerDutyField);
  return validated.ok ? { ok: true, value: { action, dedupKey, event } } : validated;
}

/** PagerDuty's 400 body, plus Vigil's `{field, reason}` list that the strings are made from. */
export function invalidEventBody(errors: readonly FieldError[]) {
  return {
    status: 'invalid event',
    message: 'Event object is invalid',
    errors: errors.map((error) => `${error.field} ${error.reason}`),
    fieldErrors: errors,
  };
}
