import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Logger,
  Post,
  Query,
  Req,
  Res,
  Headers as RequestHeaders,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FieldError, Headers } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BatchIngest, BatchItemResult, BatchOutcome } from '../../events/batch-ingest';
import { refusalException } from '../../events/http-outcome';
import { IngestRequest, IngestService } from '../../events/ingest.service';
import { Admitted, IngestGate } from '../../gate/ingest-gate';
import { RetryLaterException } from '../../gate/retry-later.exception';
import { IngestEnv } from '../../ingest.env';
import { adapterRequest, archivedUnder, requestedSource } from '../adapter-request';
import { parseJsonBody } from '../mapping';
import { MappedAlert, mapAlerts, notificationStatus, readNotification } from './webhook';

/** The source of alerts when neither `?source=` nor the API key decides one. */
const FALLBACK_SOURCE = 'alertmanager';

/** Seconds Alertmanager is told to wait when an alert was not stored (it backs off on its own anyway). */
const STORE_RETRY_AFTER_SECONDS = 1;

const WEBHOOK_SCHEMA = {
  type: 'object',
  required: ['version', 'alerts'],
  properties: {
    version: { type: 'string', enum: ['4'] },
    receiver: { type: 'string' },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    groupKey: { type: 'string' },
    truncatedAlerts: { type: 'integer' },
    externalURL: { type: 'string' },
    groupLabels: { type: 'object', additionalProperties: { type: 'string' } },
    commonLabels: { type: 'object', additionalProperties: { type: 'string' } },
    commonAnnotations: { type: 'object', additionalProperties: { type: 'string' } },
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status', 'labels', 'startsAt'],
        properties: {
          status: { type: 'string', enum: ['firing', 'resolved'] },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          startsAt: { type: 'string', format: 'date-time' },
          endsAt: { type: 'string', format: 'date-time' },
          generatorURL: { type: 'string' },
          fingerprint: { type: 'string' },
        },
      },
    },
  },
};

/**
 * Prometheus Alertmanager's webhook receiver: point a `webhook_config` at
 * `/api/v1/alertmanager?source=<source>` (with `http_config.authorization.credentials` = an API key).
 */
@ApiTags('alertmanager')
@ApiSecurity('apiKey')
@ApiSecurity('bearer')
@Controller('api/v1/alertmanager')
export class AlertmanagerController {
  private readonly logger = new Logger(AlertmanagerController.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly batches: BatchIngest,
    private readonly gate: IngestGate,
    private readonly env: IngestEnv,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Alertmanager webhook receiver (payload version 4)',
    description:
      'Each alert becomes one event: fingerprint `am:<Alertmanager fingerprint>`, severity from the `severity` label (`warning` when missing or unknown), `cleared` when resolved. Alertmanager retries 5xx only, so: 200 when at least one alert was stored (refused ones are listed in `results` and archived), 503 when any alert could not be stored (the retry is de-duplicated), 400 when nothing could be stored. A rate limit is answered 503, since Alertmanager drops a notification answered 429.',
  })
  @ApiQuery({
    name: 'source',
    required: false,
    description: 'the Vigil source (default: the API key\'s only source, else "alertmanager")',
  })
  @ApiBody({ schema: WEBHOOK_SCHEMA })
  @ApiResponse({
    status: 200,
    description: '`{accepted, duplicates, refused, results}`, one result per alert',
  })
  @ApiResponse({ status: 400, description: 'not a version 4 notification, or every alert refused' })
  @ApiResponse({ status: 401, description: 'no or invalid API key' })
  @ApiResponse({ status: 403, description: 'the API key may not send as this source' })
  @ApiResponse({ status: 413, description: 'more alerts than INGEST_BATCH_MAX_EVENTS' })
  @ApiResponse({
    status: 503,
    description: 'not stored (JetStream, back-pressure or rate limit); Alertmanager retries',
  })
  async receive(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('source') source: string | string[] | undefined,
    @RequestHeaders(Headers.TraceParent) traceparent: string | undefined,
  ): Promise<BatchOutcome> {
    const bytes = body ?? Buffer.alloc(0);
    const receivedAt = new Date();
    const parsed = parseJsonBody(bytes);
    const notification = parsed.ok ? readNotification(parsed.value) : parsed;
    const alertCount = notification.ok ? notification.value.alerts.length : 0;
    const tooMany = alertCount > this.env.INGEST_BATCH_MAX_EVENTS;
    // A request refused whole costs one token, not one per alert it would have carried.
    const admitted = await this.admit(
      request,
      tooMany ? 1 : Math.max(alertCount, 1),
      requestedSource(source),
    );
    const base = adapterRequest('alertmanager', request, admitted, traceparent, receivedAt);

    if (!notification.ok) {
      await this.ingest.reject({ ...base, bytes }, notification.errors, archivedUnder(admitted));
      throw refusalException('invalid', notification.errors, 'Alertmanager notification');
    }
    if (tooMany) {
      const errors: FieldError[] = [
        {
          field: 'alerts',
          reason: `has ${alertCount} alerts, more than the ${this.env.INGEST_BATCH_MAX_EVENTS} of one request (INGEST_BATCH_MAX_EVENTS): set max_alerts in the webhook_config or raise the limit`,
        },
      ];
      await this.ingest.reject({ ...base, bytes }, errors, archivedUnder(admitted), 'too_large');
      throw refusalException('too_large', errors, 'Alertmanager notification');
    }
    const { truncatedAlerts } = notification.value;
    if (truncatedAlerts) {
      this.logger.warn(
        `Alertmanager left out ${truncatedAlerts} alerts of group ${notification.value.groupKey ?? '?'} (max_alerts): they never reach Vigil`,
      );
    }

    const mapped = mapAlerts(notification.value, admitted.source ?? FALLBACK_SOURCE);
    const results = await this.ingestAlerts(mapped, base, admitted);
    const status = notificationStatus(results);
    void reply.status(status);
    if (status === (HttpStatus.SERVICE_UNAVAILABLE as number)) {
      void reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
    }
    return { ...BatchIngest.summarise(results), results };
  }

  /** The gate, with 429 turned into 503: Alertmanager retries 5xx only, and would drop the alerts. */
  private async admit(request: FastifyRequest, count: number, source: string | undefined): Promise<Admitted> {
    try {
      return await this.gate.admitRequest(request, count, {
        source: { requested: source, fallback: FALLBACK_SOURCE },
      });
    } catch (error) {
      if (
        error instanceof RetryLaterException &&
        error.getStatus() === (HttpStatus.TOO_MANY_REQUESTS as number)
      ) {
        throw new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE, error.message, error.retryAfterSeconds);
      }
      throw error;
    }
  }

  /** Stores the mapped alerts and archives the refused ones, reporting each under its index. */
  private async ingestAlerts(
    alerts: readonly MappedAlert[],
    base: Omit<IngestRequest, 'bytes'>,
    admitted: Admitted,
  ): Promise<BatchItemResult[]> {
    const valid: { index: number; request: Omit<IngestRequest, 'bytes'> & { bytes: Uint8Array } }[] = [];
    const refused: Promise<BatchItemResult>[] = [];
    for (const alert of alerts) {
      if (alert.event.ok) {
        valid.push({
          index: alert.index,
          request: { ...base, bytes: alert.bytes, candidate: alert.event.value },
        });
      } else {
        const errors = alert.event.errors;
        refused.push(
          this.ingest
            .reject({ ...base, bytes: alert.bytes }, errors, archivedUnder(admitted))
            .then(() => ({ index: alert.index, status: HttpStatus.BAD_REQUEST, errors })),
        );
      }
    }
    const [stored, archived] = await Promise.all([
      this.batches.ingestAll(valid.map((item) => item.request)),
      Promise.all(refused),
    ]);
    const results = [
      ...stored.map((result, position) => ({ ...result, index: valid[position].index })),
      ...archived,
    ];
    return results.sort((a, b) => a.index - b.index);
  }
}
