import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  encodeOriginal,
  FieldError,
  Headers,
  IngestChannel,
  LIMITS,
  RejectedEventV1,
  SchemaIds,
  Subjects,
  SubmitEventReplyV1,
  validateProducerEvent,
} from '@vigil/contracts';
import { errorText, EventPublisher } from '@vigil/messaging';
import { IngestMetrics } from './ingest.metrics';
import { AcceptContext, toAcceptedEvent } from './normalise';
import { traceparentFor } from './trace';

export interface IngestRequest {
  /** The producer's bytes exactly as received: parsed here, and kept whole if refused. */
  bytes: Uint8Array;
  via: IngestChannel;
  receivedAt: Date;
  /** Where it came from: the NATS subject or the HTTP client address. */
  from?: string;
  /** The source token of the raw subject a NATS producer published to; the body must agree with it. */
  subjectSource?: string;
  producerIdFallback?: string;
  deliveryKey?: string;
  traceparent?: string;
}

export type IngestOutcome = SubmitEventReplyV1;

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
 * Ingest's one use case, whatever the channel: parse, validate, normalise, fingerprint, then publish
 * the accepted event (resolving only after the PubAck) or the rejection with its reasons and bytes.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly metrics: IngestMetrics,
  ) {}

  async ingest(request: IngestRequest): Promise<IngestOutcome> {
    const parsed = parse(request.bytes);
    if (!parsed.ok) return this.reject(request, parsed.errors);
    const sourceError = withSubjectSource(parsed.value, request.subjectSource);
    if (sourceError) return this.reject(request, [sourceError]);
    const validated = validateProducerEvent(parsed.value);
    if (!validated.ok) return this.reject(request, validated.errors, parsed.value);

    const fallback = request.producerIdFallback;
    const context: AcceptContext = {
      origin: request.from ? { via: request.via, from: request.from } : { via: request.via },
      receivedAt: request.receivedAt,
      producerIdFallback: fallback && fallback.length <= LIMITS.idLength ? fallback : undefined,
      deliveryKey: request.deliveryKey,
    };
    const event = toAcceptedEvent(validated.value, context);
    const ack = await this.publisher.publish(Subjects.EventsAccepted, event.source, event, {
      msgId: event.id,
      headers: { [Headers.TraceParent]: traceparentFor(request.traceparent), [Headers.EventId]: event.id },
    });
    this.metrics.events.inc({ via: request.via, outcome: ack.duplicate ? 'duplicate' : 'accepted' });
    return { accepted: true, id: event.id, fingerprint: event.fingerprint, duplicate: ack.duplicate };
  }

  private async reject(request: IngestRequest, errors: FieldError[], body?: unknown): Promise<IngestOutcome> {
    this.metrics.events.inc({ via: request.via, outcome: 'rejected' });
    const rejection: RejectedEventV1 = {
      schema: SchemaIds.RejectedEventV1,
      rejectedAt: new Date().toISOString(),
      via: request.via,
      reasons: errors,
      ...encodeOriginal(request.bytes),
    };
    if (request.via === 'nats' && request.from) rejection.subject = request.from;
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
    return { accepted: false, errors };
  }
}

function readableSource(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const source = (body as Record<string, unknown>).source;
  return typeof source === 'string' && source.length ? source : undefined;
}
