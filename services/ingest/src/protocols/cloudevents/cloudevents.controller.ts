import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { FieldError, Headers } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BatchIngest, BatchItemRequest, BatchItemResult, BatchOutcome } from '../../events/batch-ingest';
import { acceptedOrThrow, AcceptedBody, refusalException, storing } from '../../events/http-outcome';
import { IngestOutcome, IngestRequest, IngestService } from '../../events/ingest.service';
import { IngestGate } from '../../gate/ingest-gate';
import { IngestEnv } from '../../ingest.env';
import {
  BATCH_MEDIA_TYPE,
  cloudEventHeaders,
  httpContentMode,
  readBatch,
  readBinary,
  readStructured,
  readStructuredBytes,
  STRUCTURED_MEDIA_TYPE,
} from './cloudevent';
import { decoded } from './mapping';

/** Vigil's source for CloudEvents over HTTP when neither `?source=` nor the API key names one. */
export const CLOUDEVENTS_FALLBACK_SOURCE = 'cloudevents';

const encoder = new TextEncoder();

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * CloudEvents 1.0 over HTTP (HTTP protocol binding): structured, binary and batched content modes,
 * each event mapped onto Vigil's producer event (see mapping.ts). Bodies arrive as raw bytes (see
 * service.ts), which binary mode needs whatever the content type.
 */
@ApiTags('cloudevents')
@ApiSecurity('apiKey')
@ApiSecurity('bearer')
@Controller('api/v1/cloudevents')
export class CloudEventsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly batches: BatchIngest,
    private readonly gate: IngestGate,
    private readonly env: IngestEnv,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Submit CloudEvents 1.0',
    description: [
      `Structured mode (\`Content-Type: ${STRUCTURED_MEDIA_TYPE}\`), binary mode (any content type with \`ce-specversion\`, \`ce-id\`, \`ce-source\`, \`ce-type\` headers; the body is the data) or batched mode (\`Content-Type: ${BATCH_MEDIA_TYPE}\`, up to INGEST_BATCH_MAX_EVENTS events, a result per event).`,
      "Each event becomes a Vigil event of the source `?source=`, else the API key's only source, else `cloudevents`; `type` ← type, `occurredAt` ← time, the CloudEvents source is the label `ce_source`, extensions become labels, and `data` that has node, summary and severity is read as Vigil's producer event.",
      'A re-send with the same CloudEvents `source` and `id` within the duplicate window answers 202 with `duplicate: true`.',
    ].join('\n\n'),
  })
  @ApiConsumes(STRUCTURED_MEDIA_TYPE, BATCH_MEDIA_TYPE, 'application/json')
  @ApiBody({
    schema: { type: 'object', description: 'a CloudEvent, a JSON array of them, or binary-mode data' },
  })
  @ApiQuery({ name: 'source', required: false, description: "Vigil's source for these events" })
  @ApiHeader({ name: 'ce-specversion', required: false, description: 'binary mode: `1.0`' })
  @ApiHeader({ name: 'ce-id', required: false, description: 'binary mode: the event id' })
  @ApiHeader({ name: 'ce-source', required: false, description: 'binary mode: the event source' })
  @ApiHeader({ name: 'ce-type', required: false, description: 'binary mode: the event type' })
  @ApiResponse({
    status: 202,
    description: 'stored: `{id, fingerprint, duplicate}` (batch: every event stored)',
  })
  @ApiResponse({
    status: 207,
    description: 'batch: some events refused; `results[i]` has each status and errors',
  })
  @ApiResponse({ status: 400, description: 'not a valid CloudEvent: `{message, errors: [{field, reason}]}`' })
  @ApiResponse({ status: 401, description: 'no or invalid API key' })
  @ApiResponse({ status: 403, description: 'the API key may not send as this source' })
  @ApiResponse({ status: 413, description: 'larger than INGEST_MAX_EVENT_BYTES, or too many events' })
  @ApiResponse({ status: 415, description: 'neither structured, batched nor binary mode' })
  @ApiResponse({ status: 429, description: 'rate limit exceeded; see Retry-After' })
  @ApiResponse({ status: 503, description: 'JetStream unavailable or behind; see Retry-After' })
  async submit(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('source') requested: string | undefined,
  ): Promise<AcceptedBody | BatchOutcome> {
    const bytes = body ?? Buffer.alloc(0);
    const mode = httpContentMode(request.headers);
    if (!mode.ok) throw new UnsupportedMediaTypeException(mode.reason);
    if (mode.mode === 'batch') return this.submitBatch(bytes, request, reply, requested);

    const admitted = await this.gate.admitRequest(request, 1, {
      source: { requested, fallback: CLOUDEVENTS_FALLBACK_SOURCE },
    });
    const headers = mode.mode === 'binary' ? cloudEventHeaders(request.headers) : undefined;
    const ingestRequest: IngestRequest = {
      bytes,
      via: 'http',
      protocol: 'cloudevents',
      receivedAt: new Date(),
      from: request.ip,
      traceparent: single(request.headers[Headers.TraceParent]),
      allowedSources: admitted.allowedSources,
      ...(headers ? { headers } : {}),
    };
    const outcome = await storing((): Promise<IngestOutcome> => {
      const tooLarge = this.ingest.refuseIfTooLarge(ingestRequest);
      if (tooLarge) return tooLarge;
      const read = mode.mode === 'binary' ? readBinary(request.headers, bytes) : readStructuredBytes(bytes);
      const event = decoded(read, { source: admitted.source });
      if (!event.ok) return this.ingest.reject(ingestRequest, event.errors, { source: admitted.source });
      return this.ingest.ingest({
        ...ingestRequest,
        candidate: event.candidate,
        traceparent: event.traceparent ?? ingestRequest.traceparent,
      });
    });
    return acceptedOrThrow(outcome, 'CloudEvent');
  }

  /** Each event of the batch accepted or refused on its own, like `/api/v1/events/batch`. */
  private async submitBatch(
    bytes: Uint8Array,
    request: FastifyRequest,
    reply: FastifyReply,
    requested: string | undefined,
  ): Promise<BatchOutcome> {
    const batch = readBatch(bytes);
    if (!batch.ok) throw refusalException('invalid', batch.errors, 'CloudEvents batch');
    const { items } = batch;
    BatchIngest.assertBatchSize(items.length, this.env.INGEST_BATCH_MAX_EVENTS);
    const admitted = await this.gate.admitRequest(request, items.length, {
      source: { requested, fallback: CLOUDEVENTS_FALLBACK_SOURCE },
    });
    const traceparent = single(request.headers[Headers.TraceParent]);
    const receivedAt = new Date();
    const results: BatchItemResult[] = new Array<BatchItemResult>(items.length);
    const mapped: { index: number; request: BatchItemRequest }[] = [];
    const unreadable: { index: number; request: IngestRequest; errors: FieldError[] }[] = [];
    items.forEach((item, index) => {
      const base: IngestRequest = {
        // The item's own JSON is archived if refused: the batch's bytes would not say which failed.
        bytes: encoder.encode(JSON.stringify(item)),
        via: 'http',
        protocol: 'cloudevents',
        receivedAt,
        from: request.ip,
        traceparent,
        allowedSources: admitted.allowedSources,
      };
      const event = decoded(readStructured(item), { source: admitted.source });
      if (event.ok) {
        const itemRequest = {
          ...base,
          candidate: event.candidate,
          traceparent: event.traceparent ?? traceparent,
        };
        mapped.push({ index, request: itemRequest });
      } else {
        unreadable.push({ index, request: base, errors: event.errors });
      }
    });
    const [ingested] = await Promise.all([
      this.batches.ingestAll(mapped.map((item) => item.request)),
      ...unreadable.map(async ({ index, request: itemRequest, errors }) => {
        // Archiving is best effort over HTTP (reject logs a failure): the producer still learns why.
        await this.ingest.reject(itemRequest, errors, { source: admitted.source });
        results[index] = { index, status: HttpStatus.BAD_REQUEST, errors };
      }),
    ]);
    ingested.forEach((result, k) => {
      const { index } = mapped[k];
      results[index] = { ...result, index };
    });
    const summary = BatchIngest.summarise(results);
    void reply.status(summary.refused === 0 ? HttpStatus.ACCEPTED : HttpStatus.MULTI_STATUS);
    return { ...summary, results };
  }
}
