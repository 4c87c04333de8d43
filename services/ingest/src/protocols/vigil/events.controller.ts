import { Body, Controller, Headers as RequestHeaders, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { PRODUCER_EVENT_V1_SCHEMA } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestEnv } from '../../ingest.env';
import { BatchOutcome, batchStatus, jsonBytes, parseBatch } from '../../pipeline/batch';
import { AcceptedBody, refusalException } from '../../pipeline/http-outcome';
import { IngestPipeline } from '../../pipeline/ingest-pipeline';

/**
 * HTTP ingest of Vigil's own producer event, one at a time or in batches. Bodies arrive as raw
 * bytes (see service.ts) so that a refused event is archived exactly as sent and JSON syntax errors
 * get the same error shape as validation errors.
 */
@ApiTags('events')
@ApiSecurity('apiKey')
@ApiSecurity('bearer')
@Controller('api/v1/events')
export class EventsController {
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly env: IngestEnv,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Submit one event',
    description:
      '202 once JetStream has stored it. A re-send with the same `id` (or `Idempotency-Key`) within the duplicate window answers 202 with `duplicate: true` and creates no second occurrence.',
  })
  @ApiBody({ schema: PRODUCER_EVENT_V1_SCHEMA as object })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: "the producer's id when the body has none",
  })
  @ApiResponse({ status: 202, description: 'stored: `{id, fingerprint, duplicate}`' })
  @ApiResponse({ status: 400, description: 'invalid: `{message, errors: [{field, reason}]}`' })
  @ApiResponse({ status: 401, description: 'no or invalid API key' })
  @ApiResponse({ status: 403, description: 'the API key may not send as this source' })
  @ApiResponse({ status: 413, description: 'larger than INGEST_MAX_EVENT_BYTES' })
  @ApiResponse({ status: 429, description: 'rate limit exceeded; see Retry-After' })
  @ApiResponse({ status: 503, description: 'JetStream unavailable or behind; see Retry-After' })
  submit(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @RequestHeaders('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<AcceptedBody> {
    return this.pipeline.one(request, {
      protocol: 'vigil',
      bytes: body ?? Buffer.alloc(0),
      extras: { producerIdFallback: idempotencyKey },
      // No candidate: the bytes are the producer event, parsed (and archived if refused) as they are.
      read: () => ({ ok: true, answer: (stored) => stored }),
      refused: refusalException,
    });
  }

  @Post('batch')
  @ApiOperation({
    summary: 'Submit several events',
    description:
      'A JSON array of events, or `{"events": [...]}`, up to INGEST_BATCH_MAX_EVENTS. Each event is accepted or refused on its own: 202 when all were stored, 207 with a result per event otherwise.',
  })
  @ApiBody({ schema: { type: 'array', items: PRODUCER_EVENT_V1_SCHEMA as object } })
  @ApiResponse({ status: 202, description: 'every event stored' })
  @ApiResponse({ status: 207, description: 'some events refused: `results[i]` has each status and errors' })
  @ApiResponse({ status: 400, description: 'the body is not a JSON array of events' })
  @ApiResponse({ status: 413, description: 'more events than INGEST_BATCH_MAX_EVENTS' })
  async submitBatch(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchOutcome> {
    const bytes = body ?? Buffer.alloc(0);
    // A body that is no batch at all is refused before the producer is admitted, and not archived.
    const items = parseBatch(bytes, this.env.INGEST_BATCH_MAX_EVENTS);
    const outcome = await this.pipeline.many(request, {
      protocol: 'vigil',
      bytes,
      count: items.length,
      read: () => ({
        ok: true,
        items: items.map((item) => ({ bytes: jsonBytes(item), event: { ok: true, candidate: item } })),
      }),
      refused: refusalException,
    });
    void reply.status(batchStatus(outcome));
    return outcome;
  }
}
