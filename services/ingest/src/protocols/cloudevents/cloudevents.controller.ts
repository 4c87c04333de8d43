import {
  Body,
  Controller,
  HttpCode,
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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestEnv } from '../../ingest.env';
import { assertBatchSize, BatchOutcome, batchStatus, jsonBytes } from '../../pipeline/batch';
import { AcceptedBody, refusalException } from '../../pipeline/http-outcome';
import { IngestPipeline } from '../../pipeline/ingest-pipeline';
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
    private readonly pipeline: IngestPipeline,
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

    const binary = mode.mode === 'binary';
    return this.pipeline.one(request, {
      protocol: 'cloudevents',
      bytes,
      admission: { source: { requested, fallback: CLOUDEVENTS_FALLBACK_SOURCE } },
      // Binary mode's `ce-*` headers are part of the message: archived with a refusal, for replay.
      extras: binary ? { headers: cloudEventHeaders(request.headers) } : {},
      sizeFirst: true,
      read: (admitted) => {
        const read = binary ? readBinary(request.headers, bytes) : readStructuredBytes(bytes);
        const event = decoded(read, { source: admitted.source });
        return event.ok ? { ...event, answer: (stored) => stored } : event;
      },
      refused: (refusal, errors) => refusalException(refusal, errors, 'CloudEvent'),
    });
  }

  /** Each event of the batch accepted or refused on its own, like `/api/v1/events/batch`. */
  private async submitBatch(
    bytes: Uint8Array,
    request: FastifyRequest,
    reply: FastifyReply,
    requested: string | undefined,
  ): Promise<BatchOutcome> {
    // A body that is no batch at all is refused before the producer is admitted, and not archived.
    const batch = readBatch(bytes);
    if (!batch.ok) throw refusalException('invalid', batch.errors, 'CloudEvents batch');
    const { items } = batch;
    assertBatchSize(items.length, this.env.INGEST_BATCH_MAX_EVENTS);
    const outcome = await this.pipeline.many(request, {
      protocol: 'cloudevents',
      bytes,
      count: items.length,
      admission: { source: { requested, fallback: CLOUDEVENTS_FALLBACK_SOURCE } },
      read: (admitted) => ({
        ok: true,
        items: items.map((item) => ({
          bytes: jsonBytes(item),
          event: decoded(readStructured(item), { source: admitted.source }),
        })),
      }),
      refused: (refusal, errors) => refusalException(refusal, errors, 'CloudEvents batch'),
    });
    void reply.status(batchStatus(outcome));
    return outcome;
  }
}
