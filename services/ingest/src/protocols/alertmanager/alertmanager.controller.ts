import { Body, Controller, HttpCode, HttpStatus, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FieldError } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IngestEnv } from '../../ingest.env';
import { BatchOutcome } from '../../pipeline/batch';
import { refusalException } from '../../pipeline/http-outcome';
import { BatchReading, IngestPipeline } from '../../pipeline/ingest-pipeline';
import { parseJsonBody } from '../mapping';
import { requestedSource } from '../requested-source';
import { AlertmanagerNotification, mapAlerts, notificationStatus, readNotification } from './webhook';

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
    private readonly pipeline: IngestPipeline,
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
  ): Promise<BatchOutcome> {
    const bytes = body ?? Buffer.alloc(0);
    const parsed = parseJsonBody(bytes);
    const notification = parsed.ok ? readNotification(parsed.value) : parsed;
    const alertCount = notification.ok ? notification.value.alerts.length : 0;
    const tooMany = alertCount > this.env.INGEST_BATCH_MAX_EVENTS;
    const outcome = await this.pipeline.many(request, {
      protocol: 'alertmanager',
      bytes,
      // A request refused whole costs one token, not one per alert it would have carried.
      count: tooMany ? 1 : Math.max(alertCount, 1),
      admission: { source: { requested: requestedSource(source), fallback: FALLBACK_SOURCE } },
      rateLimitedAs503: true,
      read: (admitted) => {
        if (!notification.ok) return notification;
        if (tooMany) return this.tooManyAlerts(alertCount);
        return this.alerts(notification.value, admitted.source ?? FALLBACK_SOURCE);
      },
      refused: (refusal, errors) => refusalException(refusal, errors, 'Alertmanager notification'),
    });
    const status = notificationStatus(outcome.results);
    void reply.status(status);
    if (status === (HttpStatus.SERVICE_UNAVAILABLE as number)) {
      void reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
    }
    return outcome;
  }

  private tooManyAlerts(alertCount: number): BatchReading {
    const errors: FieldError[] = [
      {
        field: 'alerts',
        reason: `has ${alertCount} alerts, more than the ${this.env.INGEST_BATCH_MAX_EVENTS} of one request (INGEST_BATCH_MAX_EVENTS): set max_alerts in the webhook_config or raise the limit`,
      },
    ];
    return { ok: false, errors, refusal: 'too_large' };
  }

  /** Each alert its own event, or its own refusal (archived as the alert's JSON). */
  private alerts(notification: AlertmanagerNotification, source: string): BatchReading {
    const { truncatedAlerts } = notification;
    if (truncatedAlerts) {
      this.logger.warn(
        `Alertmanager left out ${truncatedAlerts} alerts of group ${notification.groupKey ?? '?'} (max_alerts): they never reach Vigil`,
      );
    }
    const items = mapAlerts(notification, source).map((alert) => ({
      bytes: alert.bytes,
      event: alert.event.ok ? { ok: true as const, candidate: alert.event.value } : alert.event,
    }));
    return { ok: true, items };
  }
}
