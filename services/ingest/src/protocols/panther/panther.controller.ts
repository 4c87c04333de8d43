import {
  Body,
  Controller,
  HttpCode,
  HttpException,
  Post,
  Query,
  Req,
  Headers as RequestHeaders,
} from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AcceptedBody, statusOfRefusal } from '../../pipeline/http-outcome';
import { IngestPipeline } from '../../pipeline/ingest-pipeline';
import { parseJsonBody } from '../mapping';
import { requestedSource } from '../requested-source';
import { mapPantherEvent, PANTHER_FORBIDDEN_FIELDS, pantherErrorBody, pantherField } from './panther-event';

/** The source of events when neither `?source=` nor the API key decides one. */
const FALLBACK_SOURCE = 'panther';

export interface CreatedResponse {
  status: 'Created';
  message: string;
  /** The event's Panther fields, with the id, fingerprint and duplicate flag Vigil gave it. */
  event: Record<string, unknown> & AcceptedBody & { identifier: string };
}

const EVENT_SCHEMA = {
  type: 'object',
  required: ['event'],
  properties: {
    event: {
      type: 'object',
      required: ['node', 'summary'],
      properties: {
        node: { type: 'string', minLength: 1 },
        summary: { type: 'string', minLength: 1 },
        severity: { type: 'integer', minimum: 0, maximum: 5, default: 1 },
        identifier: {
          type: 'string',
          description: 'de-duplication key; `{field}` placeholders are filled in',
        },
        tag: { type: 'string' },
        alert_group: { type: 'string' },
      },
      additionalProperties: { type: 'string' },
      not: { anyOf: PANTHER_FORBIDDEN_FIELDS.map((field) => ({ required: [field] })) },
    },
  },
};

/**
 * The Panther console's HTTP event API, at Panther's paths and with its `X-Api-Token` header, so a
 * Panther HTTP producer needs only Vigil's base URL.
 */
@ApiTags('panther')
@ApiHeader({ name: 'X-Api-Token', required: false, description: 'the Vigil API key, as Panther sends it' })
@Controller('api/event')
export class PantherController {
  constructor(private readonly pipeline: IngestPipeline) {}

  @Post('create')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Panther: create an event, answering once it is stored',
    description:
      "Validated as Panther does: node and summary required, severity an integer 0–5 (default 1), every other field a string, server fields refused. Fingerprint `panther:<identifier>` when an identifier is sent (`{field}` placeholders filled in); without one, Vigil's default fingerprint, which leaves out severity and summary. Other fields become labels.",
  })
  @ApiQuery({
    name: 'source',
    required: false,
    description: 'the Vigil source (default: the API key\'s only source, else "panther")',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'makes a re-send within the duplicate window a duplicate',
  })
  @ApiBody({ schema: EVENT_SCHEMA })
  @ApiResponse({
    status: 200,
    description: "`{status: 'Created', message: 'Saved event: <fingerprint>', event}`",
  })
  @ApiResponse({ status: 400, description: '`{error: {message}, errors: [{field, reason}]}`' })
  @ApiResponse({ status: 401, description: 'no or invalid API key' })
  create(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @Query('source') source: string | string[] | undefined,
    @RequestHeaders('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<CreatedResponse> {
    return this.store(body, request, source, idempotencyKey, (fields, stored) => ({
      status: 'Created',
      message: `Saved event: ${stored.fingerprint}`,
      event: { ...fields, identifier: stored.fingerprint, ...stored },
    }));
  }

  @Post('queue')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Panther: queue an event',
    description:
      "Panther's fire-and-forget variant; Vigil still answers only once the event is stored, so it is the same as create with Panther's shorter answer.",
  })
  @ApiQuery({ name: 'source', required: false })
  @ApiBody({ schema: EVENT_SCHEMA })
  @ApiResponse({ status: 200, description: "`{status: 'Queued'}`" })
  @ApiResponse({ status: 400, description: '`{error: {message}, errors: [{field, reason}]}`' })
  queue(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @Query('source') source: string | string[] | undefined,
    @RequestHeaders('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ status: 'Queued' }> {
    return this.store(body, request, source, idempotencyKey, () => ({ status: 'Queued' }));
  }

  private store<A>(
    body: Buffer | undefined,
    request: FastifyRequest,
    source: string | string[] | undefined,
    idempotencyKey: string | undefined,
    answer: (fields: Record<string, unknown>, stored: AcceptedBody) => A,
  ): Promise<A> {
    const bytes = body ?? Buffer.alloc(0);
    return this.pipeline.one(request, {
      protocol: 'panther',
      bytes,
      admission: { source: { requested: requestedSource(source), fallback: FALLBACK_SOURCE } },
      extras: { producerIdFallback: idempotencyKey },
      read: (admitted) => {
        const parsed = parseJsonBody(bytes);
        const mapped = parsed.ok ? mapPantherEvent(parsed.value, admitted.source ?? FALLBACK_SOURCE) : parsed;
        if (!mapped.ok) return mapped;
        const { event, fields } = mapped.value;
        return { ok: true, candidate: event, answer: (stored) => answer(fields, stored) };
      },
      fieldName: pantherField,
      refused: (refusal, errors) => new HttpException(pantherErrorBody(errors), statusOfRefusal(refusal)),
    });
  }
}
