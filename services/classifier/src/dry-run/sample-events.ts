import {
  AcceptedEventV1,
  FieldError,
  normalizeSeverity,
  SchemaIds,
  UUID_PATTERN,
  validatePlain,
  ValidationResult,
} from '@vigil/contracts';
import { randomUUID } from 'node:crypto';

/** Fields a classified event has and an accepted one does not: the classifier's own decisions. */
const CLASSIFIER_FIELDS = ['priority', 'impact', 'team', 'owner', 'classifiedAt', 'classification'];

/**
 * Turns what an operator pastes into a dry run into an accepted event: a producer-style event
 * (`{source, node, type, summary, severity}`) gets the defaults ingest would have given it, a
 * classified event (copied from an alert's occurrences) is taken back to what the classifier
 * received, and a complete accepted event is used as it is. The result is then held to the accepted
 * event's contract, so a bad field is named rather than guessed at.
 */
export function completeSampleEvent(input: unknown, now: Date): ValidationResult<AcceptedEventV1> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '$', reason: 'must be a JSON object' }] };
  }
  // As at ingest, null in an optional field means absent.
  const event: Record<string, unknown> = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== null),
  );
  if (event.schema === SchemaIds.ClassifiedEventV1) {
    for (const field of CLASSIFIER_FIELDS) delete event[field];
    // A classified event's category is the classifier's decision, not what the producer sent.
    delete event.category;
    event.schema = SchemaIds.AcceptedEventV1;
  }
  event.schema ??= SchemaIds.AcceptedEventV1;

  if (typeof event.id === 'string' && !UUID_PATTERN.test(event.id)) {
    // A producer's own id: kept where ingest keeps it, and the event gets a platform id.
    event.producerId ??= event.id;
    event.id = randomUUID();
  }
  event.id ??= randomUUID();
  event.severity = normalizeSeverity(event.severity) ?? event.severity;
  const at = now.toISOString();
  event.occurredAt ??= at;
  event.receivedAt ??= at;
  event.labels ??= {};
  event.attributes ??= {};
  // Ingest derives the fingerprint from these fields too; non-text ones are refused below anyway.
  event.fingerprint ??= [event.source, event.node, event.type]
    .map((part) => (typeof part === 'string' ? part : ''))
    .join(':');
  event.origin ??= { via: 'http', from: 'dry-run' };
  return validatePlain(AcceptedEventV1, event);
}

/** Every sample completed, or every problem named by its place in the list (`events[2].severity`). */
export function completeSampleEvents(
  inputs: readonly unknown[],
  now: Date,
): { ok: true; events: AcceptedEventV1[] } | { ok: false; errors: FieldError[] } {
  const events: AcceptedEventV1[] = [];
  const errors: FieldError[] = [];
  inputs.forEach((input, i) => {
    const result = completeSampleEvent(input, now);
    if (result.ok) events.push(result.value);
    else {
      for (const error of result.errors) {
        errors.push({
          field: error.field === '$' ? `events[${i}]` : `events[${i}].${error.field}`,
          reason: error.reason,
        });
      }
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, events };
}
