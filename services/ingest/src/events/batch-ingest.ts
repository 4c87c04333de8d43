import { BadRequestException, HttpStatus, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { FieldError } from '@vigil/contracts';
import { errorText } from '@vigil/messaging';
import { IngestRequest, IngestService } from './ingest.service';
import { statusOf } from './http-outcome';

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

/** An item of a batch: its bytes may be left out, and are then its candidate's JSON. */
export type BatchItemRequest = Omit<IngestRequest, 'bytes'> & { bytes?: Uint8Array };

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Several events in one request, each accepted or refused on its own: one bad item does not sink
 * the rest, and the producer learns which to fix and which to retry.
 */
@Injectable()
export class BatchIngest {
  constructor(private readonly ingest: IngestService) {}

  static summarise(results: readonly BatchItemResult[]) {
    let accepted = 0;
    let duplicates = 0;
    for (const result of results) {
      if (result.status !== (HttpStatus.ACCEPTED as number)) continue;
      if (result.duplicate) duplicates++;
      else accepted++;
    }
    return { accepted, duplicates, refused: results.length - accepted - duplicates };
  }

  /** The items of a batch body: a JSON array, or an object with an `events` array. */
  parse(bytes: Uint8Array, maxEvents: number, field = 'events'): unknown[] {
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
    BatchIngest.assertBatchSize(items.length, maxEvents);
    return items;
  }

  /** 413 for a batch over the configured count, before any of it is stored. */
  static assertBatchSize(count: number, maxEvents: number): void {
    if (count > maxEvents) {
      throw new PayloadTooLargeException(
        `a batch holds at most ${maxEvents} events (INGEST_BATCH_MAX_EVENTS); this one has ${count}: split it`,
      );
    }
  }

  /**
   * Ingests every item concurrently (their publishes are pipelined) and reports each. An item's
   * archived bytes, if refused, are its own JSON: the batch's bytes would not say which item failed.
   */
  async ingestAll(requests: readonly BatchItemRequest[]): Promise<BatchItemResult[]> {
    return Promise.all(
      requests.map(async (request, index): Promise<BatchItemResult> => {
        const bytes = request.bytes ?? encoder.encode(JSON.stringify(request.candidate ?? null));
        try {
          const outcome = await this.ingest.ingest({ ...request, bytes });
          if (outcome.accepted) {
            const { id, fingerprint, duplicate } = outcome;
            return { index, status: HttpStatus.ACCEPTED, id, fingerprint, duplicate };
          }
          return { index, status: statusOf(outcome), errors: outcome.errors };
        } catch (error) {
          return {
            index,
            status: HttpStatus.SERVICE_UNAVAILABLE,
            errors: [{ field: '$', reason: `not stored, retry this event: ${errorText(error)}` }],
          };
        }
      }),
    );
  }
}
