import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  encodeOriginal,
  FieldError,
  Headers,
  IngestChannel,
  IngestProtocol,
  LIMITS,
  parseTimestamp,
  RejectedEventV1,
  SchemaIds,
  SOURCE_PATTERN,
  Subjects,
  SubmitEventReplyV1,
  validateProducerEvent,
} from '@vigil/contracts';
import { errorText, EventPublisher } from '@vigil/messaging';
import { IngestEnv } from '../ingest.env';
import { IngestMetrics } from './ingest.metrics';
import { AcceptContext, toAcceptedEvent } from './normalise';
import { traceparentFor } from './trace';

export interface IngestRequest {
  /** The producer's bytes exactly as received: parsed here, and kept whole if refused. */
  bytes: Uint8Array;
  /**
   * The event already decoded and mapped onto the producer event by a protocol adapter
   * (Alertmanager, PagerDuty, CloudEvents, syslog…). Without it the bytes are parsed as a producer event.
   */
  candidate?: unknown;
  via: IngestChannel;
  /** The format it arrived in; absent means Vigil's own producer event. */
  protocol?: IngestProtocol;
  receivedAt: Date;
  /** Where it came from: the NATS subject or the HTTP/syslog client address. */
  from?: string;
  /** The source token of the raw subject a NATS producer published to; the body must agree with it. */
  subjectSource?: string;
  producerIdFallback?: string;
  deliveryKey?: string;
  traceparent?: string;
  /**
   * Headers that are part of the message (CloudEvents binary mode's `ce-*`): archived with a refusal
   * so that `vigil replay` can send the message again whole.
   */
  headers?: Readonly<Record<string, string>>;
  /** The sources the caller's API key may send as; absent means any. */
  allowedSources?: readonly string[];
}

/**
 * What a protocol adapter read from a message: a producer event to ingest (not validated yet) with
 * the trace context the message carried, or every reason it could not be read.
 */
export type DecodedEvent =
  { ok: true; candidate: unknown; traceparent?: string } | { ok: false; errors: FieldError[] };

/** Why an event was refused: it is invalid, too large, or the caller may not send as its source. */
export type Refusal = 'invalid' | 'too_large' | 'forbidden';

export type IngestOutcome =
  | Extract<SubmitEventReplyV1, { accepted: true }>
  | { accepted: false; errors: FieldError[]; refusal: Refusal };

const decoder = new TextDecoder();

function parse(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; errors: FieldError[] } {
  try {
    return { ok: true, value: JSON.parse(decoder.decode(bytes)) };
  } catch (error) {
    return { ok: false, errors: [{ field: '$', reason: `is not valid JSON (${errorText(error)})` }] };
  }
}

/** Reconciles the body's source with the subject's: a missing one is filled in, a different one refused. */
function withSubjectSource(body: unknown, subjectSource: string | undefined): FieldError | undefined {
  if (subjectSource === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const record = body as Record<string, unknown>;
  if (record.source === undefined) {
    record.source = subjectSource;
    return;
  }
  if (record.source !== subjectSource) {
    return {
      field: 'source',
      reason: `must match the subject's source "${subjectSource}" (got ${JSON.stringify(record.source)})`,
    };
  }
  return;
}

/**
 * Ingest's one use case, whatever the channel or format: validate, check the caller may send as the
 * event's source, normalise, fingerprint, then publish the accepted event (resolving only after the
 * PubAck) or the rejection with its reasons and the original bytes.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly metrics: IngestMetrics,
    private readonly env: IngestEnv,
  ) {}

  async ingest(request: IngestRequest): Promise<IngestOutcome> {
    const tooLarge = this.refuseIfTooLarge(request);
    if (tooLarge) return tooLarge;
    let body = request.candidate;
    if (body === undefined) {
      const parsed = parse(request.bytes);
      if (!parsed.ok) return this.reject(request, parsed.errors);
      body = parsed.value;
    }
    const sourceError = withSubjectSource(body, request.subjectSource);
    if (sourceError) return this.reject(request, [sourceError], body);
    const validated = validateProducerEvent(body);
    if (!validated.ok) return this.reject(request, validated.errors, body);
    const futureError = this.futureTimestampError(validated.value.occurredAt, request.receivedAt);
    if (futureError) return this.reject(request, [futureError], body);
    const { source } = validated.value;
    if (request.allowedSources && !request.allowedSources.includes(source)) {
      return this.forbid(request, source, request.allowedSources);
    }

    const fallback = request.producerIdFallback;
    const context: AcceptContext = {
      origin: {
        via: request.via,
        ...(request.protocol && request.protocol !== 'vigil' ? { protocol: request.protocol } : {}),
        ...(request.from ? { from: request.from } : {}),
      },
      receivedAt: request.receivedAt,
      producerIdFallback: fallback && fallback.length <= LIMITS.idLength ? fallback : undefined,
      deliveryKey: request.deliveryKey,
    };
    const event = toAcceptedEvent(validated.value, context);
    const ack = await this.publisher.publish(Subjects.EventsAccepted, event.source, event, {
      msgId: event.id,
      headers: { [Headers.TraceParent]: traceparentFor(request.traceparent), [Headers.EventId]: event.id },
    });
    this.metrics.events.inc({
      via: request.via,
      protocol: request.protocol ?? 'vigil',
      outcome: ack.duplicate ? 'duplicate' : 'accepted',
    });
    return { accepted: true, id: event.id, fingerprint: event.fingerprint, duplicate: ack.duplicate };
  }

  /**
   * A message a protocol adapter reads into a producer event (CloudEvents, syslog): refused when it is
   * over the one-event limit before `read` sees it (a huge message is not decoded), archived with the
   * reader's reasons when it cannot be read, else ingested with the trace context it carried.
   * `archiveAs` names the source to archive a refusal under when the transport decided one.
   */
  async ingestRead(
    request: IngestRequest,
    read: () => DecodedEvent,
    archiveAs?: { source?: string },
  ): Promise<IngestOutcome> {
    const tooLarge = this.refuseIfTooLarge(request);
    if (tooLarge) return tooLarge;
    const event = read();
    if (!event.ok) return this.reject(request, event.errors, archiveAs);
    return this.ingest({
      ...request,
      candidate: event.candidate,
      traceparent: event.traceparent ?? request.traceparent,
    });
  }

  /**
   * Refuses (archived, `too_large`) a message over the one-event limit, or undefined when it fits.
   * Adapters that decode before calling `ingest` call it first, so a huge message is not decoded.
   */
  refuseIfTooLarge(request: IngestRequest): Promise<IngestOutcome> | undefined {
    const size = request.bytes.byteLength;
    if (size <= this.env.INGEST_MAX_EVENT_BYTES) return undefined;
    const reason = `is ${size} bytes, more than the ${this.env.INGEST_MAX_EVENT_BYTES} allowed for one event (INGEST_MAX_EVENT_BYTES)`;
    return this.reject(request, [{ field: '$', reason }], undefined, 'too_large');
  }

  /**
   * Archives a message refused before it could become a producer event (an unreadable webhook, a
   * malformed CloudEvent): the producer is told why, and the bytes are kept for replay.
   */
  async reject(
    request: IngestRequest,
    errors: FieldError[],
    body?: unknown,
    refusal: Refusal = 'invalid',
  ): Promise<IngestOutcome> {
    this.metrics.events.inc({ via: request.via, protocol: request.protocol ?? 'vigil', outcome: 'rejected' });
    const rejection: RejectedEventV1 = {
      schema: SchemaIds.RejectedEventV1,
      rejectedAt: new Date().toISOString(),
      via: request.via,
      reasons: errors,
      ...encodeOriginal(request.bytes),
    };
    if (request.protocol && request.protocol !== 'vigil') rejection.protocol = request.protocol;
    if (request.via === 'nats' && request.from) rejection.subject = request.from;
    if (request.headers && Object.keys(request.headers).length) rejection.headers = { ...request.headers };
    const source = readableSource(body) ?? request.subjectSource ?? 'unknown';
    try {
      await this.publisher.publish(Subjects.EventsRejected, source, rejection, {
        msgId: request.deliveryKey ? `rejected:${request.deliveryKey}` : randomUUID(),
      });
    } catch (error) {
      // The producer still learns why (400 / error reply); only the archived copy is missing.
      this.logger.error(`could not publish a rejection to the rejected stream: ${errorText(error)}`);
      if (request.via === 'nats') throw error;
    }
    return { accepted: false, errors, refusal };
  }

  /** Not archived: the event may be valid, only this caller may not send it (its key's scope). */
  private forbid(request: IngestRequest, source: string, allowed: readonly string[]): IngestOutcome {
    this.metrics.events.inc({
      via: request.via,
      protocol: request.protocol ?? 'vigil',
      outcome: 'forbidden',
    });
    return {
      accepted: false,
      refusal: 'forbidden',
      errors: [
        {
          field: 'source',
          reason: `this API key may not send as "${source}" (allowed: ${allowed.join(', ')})`,
        },
      ],
    };
  }

  private futureTimestampError(occurredAt: string | undefined, receivedAt: Date): FieldError | undefined {
    if (!occurredAt) return undefined;
    const limitMs = receivedAt.getTime() + this.env.INGEST_MAX_FUTURE_SECONDS * 1000;
    if (parseTimestamp(occurredAt).getTime() <= limitMs) return undefined;
    return {
      field: 'occurredAt',
      reason: `is more than ${this.env.INGEST_MAX_FUTURE_SECONDS} s in the future (received at ${receivedAt.toISOString()}): check the producer's clock`,
    };
  }
}

function readableSource(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const source = (body as Record<string, unknown>).source;
  return typeof source === 'string' && source.length <= LIMITS.sourceLength && SOURCE_PATTERN.test(source)
    ? source
    : undefined;
}
