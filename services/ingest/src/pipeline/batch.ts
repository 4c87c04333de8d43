import { BadRequestException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import { FieldError } from '@vigil/contracts';
import { errorText } from '@vigil/messaging';

export interface BatchItemResult {
  index: number;
  /** What the same event would have got alone: 202, 400, 403, 413, or 503 when it was not stored. */
  status: number;
  id?: string;
  fingerprint?: string;
  duplicate?: boolean;
  errors?: FieldError[];
}

/** The answer to a batch: counts, then each item's result in request order. */
export interface BatchOutcome {
  accepted: number;
  duplicates: number;
  refused: number;
  results: BatchItemResult[];
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function summarise(results: readonly BatchItemResult[]): Omit<BatchOutcome, 'results'> {
  let accepted = 0;
  let duplicates = 0;
  for (const result of results) {
    if (result.status !== (HttpStatus.ACCEPTED as number)) continue;
    if (result.duplicate) duplicates++;
    else accepted++;
  }
  return { accepted, duplicates, refused: results.length - accepted - duplicates };
}

/** 202 when every event of a batch was stored, else 207: each result says what became of its event. */
export function batchStatus(outcome: BatchOutcome): HttpStatus {
  return outcome.refused === 0 ? HttpStatus.ACCEPTED : HttpStatus.MULTI_STATUS;
}

/** 413 for a batch over the configured count, before any of it is stored. */
export function assertBatchSize(count: number, maxEvents: number): void {
  if (count > maxEvents) {
    throw new PayloadTooLargeException(
      `a batch holds at most ${maxEvents} events (INGEST_BATCH_MAX_EVENTS); this one has ${count}: split it`,
    );
  }
}

/** The items of a batch body: a JSON array, or an object with an `events` array. */
export function parseBatch(bytes: Uint8Array, maxEvents: number, field = 'events'): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `invalid batch: $: is not valid JSON (${errorText(error)})`,
      errors: [{ field: '$', reason: `is not valid JSON (${errorText(error)})` }],
    });
  }
  const items = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && Array.isArray((body as Record<string, unknown>)[field])
      ? ((body as Record<string, unknown>)[field] as unknown[])
      : undefined;
  if (!items) {
    const reason = `must be a JSON array of events, or an object with an "${field}" array`;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `invalid batch: $: ${reason}`,
      errors: [{ field: '$', reason }],
    });
  }
  assertBatchSize(items.length, maxEvents);
  return items;
}

/** An item's own JSON: what is archived when it is refused, since the batch's bytes would not say which. */
export function jsonBytes(item: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(item));
}
