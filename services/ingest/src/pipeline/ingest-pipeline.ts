import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { FieldError, Headers, IngestProtocol } from '@vigil/contracts';
import { errorText } from '@vigil/messaging';
import { DecodedEvent, IngestOutcome, IngestRequest, IngestService, Refusal } from '../events/ingest.service';
import { Admitted, AdmitOptions, HeaderValues, IngestGate } from '../gate/ingest-gate';
import { RetryLaterException } from '@vigil/runtime';
import { BatchItemResult, BatchOutcome, summarise } from './batch';
import { AcceptedBody, statusOf, storing } from './http-outcome';

/** The parts of an HTTP request the pipeline reads. */
export interface HttpRequestLike {
  headers: HeaderValues;
  ip: string;
}

/** What every HTTP ingest request states, whatever its protocol. */
interface IngestStep {
  protocol: IngestProtocol;
  /** The body exactly as received: archived when it is refused whole. */
  bytes: Uint8Array;
  admission?: AdmitOptions;
  /** Alertmanager drops a notification answered 429 and retries 5xx: its rate limit is a 503. */
  rateLimitedAs503?: boolean;
  /** The protocol's answer to a refused event or body, with the refusal's status. */
  refused: (refusal: Refusal, errors: FieldError[]) => HttpException;
}

/**
 * What a protocol read from a one-event body: refused (archived under the admitted source, answered
 * with `refused`), an event to store and how to answer once it is stored, or no event at all but an
 * answer of its own (PagerDuty's acknowledge is a command to the correlator).
 */
export type OneEventReading<A> =
  | { ok: false; errors: FieldError[] }
  | {
      ok: true;
      /** The event mapped onto a producer event; absent when the bytes are Vigil's own producer event. */
      candidate?: unknown;
      traceparent?: string;
      answer: (stored: AcceptedBody) => A;
    }
  | { ok: true; notAnEvent: () => Promise<A> };

export interface OneEventStep<A> extends IngestStep {
  /** Request fields only some protocols have: the producer's Idempotency-Key, CloudEvents headers. */
  extras?: Pick<IngestRequest, 'producerIdFallback' | 'headers'>;
  /** Refuse a body over the one-event limit before `read` sees it, so a huge message is not decoded. */
  sizeFirst?: boolean;
  /** Reads the body once the producer is admitted: only then is its Vigil source decided. */
  read: (admitted: Admitted) => OneEventReading<A>;
  /** How the protocol names a producer-event field, so that ingest's refusals speak its terms. */
  fieldName?: (field: string) => string;
}

/** An event of a batch: its own bytes (archived if it is refused) and what the protocol read. */
export interface BatchStepItem {
  bytes: Uint8Array;
  event: DecodedEvent;
}

export type BatchReading =
  { ok: false; errors: FieldError[]; refusal?: Refusal } | { ok: true; items: BatchStepItem[] };

export interface BatchStep extends IngestStep {
  /** The events the request carries: each takes a token from the producer's rate. */
  count: number;
  /** Reads the body once the producer is admitted; a refusal refuses it whole, archived. */
  read: (admitted: Admitted) => BatchReading;
}

type Refused = Extract<IngestOutcome, { accepted: false }>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The one sequence every HTTP ingest request goes through, whatever its protocol: admit it (API key,
 * source scope, rate, back-pressure), read its events, store them (the answer waits for JetStream's
 * PubAck; a failure to store is a 503 with Retry-After) or archive the refused ones, then answer.
 * A protocol's controller says only how it reads its body and how it answers.
 */
@Injectable()
export class IngestPipeline {
  constructor(
    private readonly gate: IngestGate,
    private readonly ingest: IngestService,
  ) {}

  /** A request that carries one event. */
  async one<A>(http: HttpRequestLike, step: OneEventStep<A>): Promise<A> {
    const receivedAt = new Date();
    const admitted = await this.admit(http, 1, step);
    const request: IngestRequest = { ...this.requestOf(step, http, admitted, receivedAt), ...step.extras };
    return storing(() => this.storeOne(request, step, admitted));
  }

  /** A request that carries several events, each stored or refused on its own; results in order. */
  async many(http: HttpRequestLike, step: BatchStep): Promise<BatchOutcome> {
    const receivedAt = new Date();
    const admitted = await this.admit(http, step.count, step);
    const request = this.requestOf(step, http, admitted, receivedAt);
    const reading = step.read(admitted);
    if (!reading.ok) {
      await this.ingest.reject(request, reading.errors, { source: admitted.source }, reading.refusal);
      throw step.refused(reading.refusal ?? 'invalid', reading.errors);
    }
    const results = await Promise.all(
      reading.items.map((item, index) =>
        this.storeItem({ ...request, bytes: item.bytes }, item.event, index, admitted),
      ),
    );
    return { ...summarise(results), results };
  }

  private async admit(http: HttpRequestLike, count: number, step: IngestStep): Promise<Admitted> {
    try {
      return await this.gate.admitRequest(http, count, step.admission);
    } catch (error) {
      if (
        step.rateLimitedAs503 &&
        error instanceof RetryLaterException &&
        error.getStatus() === (HttpStatus.TOO_MANY_REQUESTS as number)
      ) {
        throw new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE, error.message, error.retryAfterSeconds);
      }
      throw error;
    }
  }

  private requestOf(
    step: IngestStep,
    http: HttpRequestLike,
    admitted: Admitted,
    receivedAt: Date,
  ): IngestRequest {
    return {
      bytes: step.bytes,
      via: 'http',
      protocol: step.protocol,
      receivedAt,
      from: http.ip,
      traceparent: single(http.headers[Headers.TraceParent]),
      allowedSources: admitted.allowedSources,
    };
  }

  private async storeOne<A>(request: IngestRequest, step: OneEventStep<A>, admitted: Admitted): Promise<A> {
    const tooLarge = step.sizeFirst ? await this.ingest.refuseIfTooLarge(request) : undefined;
    if (tooLarge && !tooLarge.accepted) throw this.refusal(tooLarge, step);
    const reading = step.read(admitted);
    if (!reading.ok) {
      // The reader's errors already name the producer's own fields.
      await this.ingest.reject(request, reading.errors, { source: admitted.source });
      throw step.refused('invalid', reading.errors);
    }
    if ('notAnEvent' in reading) return reading.notAnEvent();
    const outcome = await this.ingest.ingest({
      ...request,
      candidate: reading.candidate,
      traceparent: reading.traceparent ?? request.traceparent,
    });
    if (!outcome.accepted) throw this.refusal(outcome, step);
    return reading.answer({ id: outcome.id, fingerprint: outcome.fingerprint, duplicate: outcome.duplicate });
  }

  /** Ingest's refusal, in the protocol's field names and error shape. */
  private refusal(outcome: Refused, step: OneEventStep<unknown>): HttpException {
    const { fieldName } = step;
    const errors = fieldName
      ? outcome.errors.map((error) => ({ ...error, field: fieldName(error.field) }))
      : outcome.errors;
    return step.refused(outcome.refusal, errors);
  }

  /** One event of a batch: its result is what the same event would have got alone. */
  private async storeItem(
    request: IngestRequest,
    event: DecodedEvent,
    index: number,
    admitted: Admitted,
  ): Promise<BatchItemResult> {
    if (!event.ok) {
      // Archiving is best effort over HTTP (reject logs a failure): the producer still learns why.
      await this.ingest.reject(request, event.errors, { source: admitted.source });
      return { index, status: HttpStatus.BAD_REQUEST, errors: event.errors };
    }
    try {
      const outcome = await this.ingest.ingest({
        ...request,
        candidate: event.candidate,
        traceparent: event.traceparent ?? request.traceparent,
      });
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
  }
}
