import { FieldError, ProducerEventV1, validateProducerEvent } from '@vigil/contracts';

/** What a protocol mapper returns: the mapped value, or every reason it could not map it. */
export type Mapped<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const decoder = new TextDecoder();

export function parseJsonBody(bytes: Uint8Array): Mapped<unknown> {
  try {
    return { ok: true, value: JSON.parse(decoder.decode(bytes)) };
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          field: '$',
          reason: `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
    };
  }
}

/** How a protocol names the field a producer-event field was mapped from. */
export type FieldNamer = (field: string) => string;

/**
 * A namer from a table of producer-event fields to the protocol's own. A nested field takes its
 * parent's name (`labels.tag` → `event.tag` when `labels` is `event`); unknown fields keep theirs.
 */
export function fieldNamer(names: Readonly<Record<string, string>>, prefix = ''): FieldNamer {
  const named = (field: string) => Object.prototype.hasOwnProperty.call(names, field);
  return (field) => {
    if (named(field)) return prefix + names[field];
    const dot = field.indexOf('.');
    const parent = dot < 0 ? field : field.slice(0, dot);
    if (dot >= 0 && named(parent)) return `${prefix}${names[parent]}${field.slice(dot)}`;
    return prefix + field;
  };
}

export function renameFields(errors: readonly FieldError[], name: FieldNamer): FieldError[] {
  return errors.map((error) => ({ ...error, field: name(error.field) }));
}

/**
 * Checks a mapped event against the producer-event contract before ingest does, so that a refusal
 * names the field the producer actually sent (`payload.summary`, not `summary`), both in the answer
 * and in the archived rejection.
 */
export function validateCandidate(candidate: ProducerEventV1, name: FieldNamer): Mapped<ProducerEventV1> {
  const validated = validateProducerEvent(candidate);
  return validated.ok
    ? { ok: true, value: candidate }
    : { ok: false, errors: renameFields(validated.errors, name) };
}

/** A string of at most `max` characters, cut with an ellipsis: for free text that may run long. */
export function clipped(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A non-empty string after trimming, else undefined: optional text fields often arrive blank. */
export function presentString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A refused value as it appeared in the JSON, cut short so a huge value cannot flood an error. */
export function shown(value: unknown): string {
  return clipped(JSON.stringify(value) ?? String(value), 80);
}

/** The error for a value that should be an object of strings (labels, annotations), if it is not one. */
export function stringMapErrors(value: unknown, field: string): FieldError[] {
  if (!isRecord(value)) return [{ field, reason: `must be an object of strings (got ${shown(value)})` }];
  return Object.entries(value)
    .filter(([, entry]) => typeof entry !== 'string')
    .map(([key, entry]) => ({ field: `${field}.${key}`, reason: `must be a string (got ${shown(entry)})` }));
}
