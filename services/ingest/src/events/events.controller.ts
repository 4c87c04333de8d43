import {
  BadRequestException,
  Body,
  Controller,
  Headers as RequestHeaders,
  HttpCode,
  Ip,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { describeFieldErrors, Headers } from '@vigil/contracts';
import { errorText } from '@vigil/messaging';
import { IngestService } from './ingest.service';

/**
 * HTTP ingest. The body arrives as raw bytes (see main.ts) so that a refused event is archived
 * exactly as sent and JSON syntax errors get the same error shape as validation errors.
 */
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly ingest: IngestService) {}

  /** 202 with the event id once JetStream has stored it; 400 naming each bad field; 503 if NATS is down. */
  @Post()
  @HttpCode(202)
  async submit(
    @Body() body: Buffer | undefined,
    @Ip() ip: string,
    @RequestHeaders(Headers.TraceParent) traceparent: string | undefined,
    @RequestHeaders('idempotency-key') idempotencyKey: string | undefined,
  ) {
    let outcome;
    try {
      outcome = await this.ingest.ingest({
        bytes: body ?? Buffer.alloc(0),
        via: 'http',
        receivedAt: new Date(),
        from: ip,
        producerIdFallback: idempotencyKey,
        traceparent,
      });
    } catch (error) {
      throw new ServiceUnavailableException(`event not stored, retry later: ${errorText(error)}`);
    }
    if (!outcome.accepted) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `invalid event: ${describeFieldErrors(outcome.errors)}`,
        errors: outcome.errors,
      });
    }
    return { id: outcome.id, fingerprint: outcome.fingerprint, duplicate: outcome.duplicate };
  }
}
