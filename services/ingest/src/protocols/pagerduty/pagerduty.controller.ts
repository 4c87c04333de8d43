import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpException, HttpStatus, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcSubjects } from '@vigil/contracts';
import { errorText, RpcClient, RpcError } from '@vigil/messaging';
import type { FastifyRequest } from 'fastify';
import { IngestMetrics } from '../../events/ingest.metrics';
import { Admitted } from '../../gate/ingest-gate';
import { RetryLaterException } from '@vigil/runtime';
import { statusOfRefusal } from '../../pipeline/http-outcome';
import { IngestPipeline, OneEventReading } from '../../pipeline/ingest-pipeline';
import { isRecord, Mapped, parseJsonBody, presentString } from '../mapping';
import { requestedSource } from '../requested-source';
import {
  invalidEventBody,
  mapPagerDutyEvent,
  PAGERDUTY_ACTIONS,
  PAGERDUTY_SEVERITIES,
  PagerDutyEvent,
  pagerDutyField,
} from './events-v2';

/** The source of events when neither `?source=` nor the API key decides one. */
const FALLBACK_SOURCE = 'pagerduty';

/** PagerDuty's 202 body; the other fields are Vigil's and ignored by PagerDuty clients. */
export interface EnqueueResponse {
  status: 'success';
  message: 'Event processed';
  dedup_key: string;
  /** False for an acknowledge, which is answered but not stored (see `acknowledge`). */
  stored: boolean;
  id?: string;
  fingerprint?: string;
  duplicate?: boolean;
}

const ENQUEUE_SCHEMA = {
  type: 'object',
  required: ['routing_key', 'event_action'],
  properties: {
    routing_key: { type: 'string', description: 'the Vigil API key' },
    event_action: { type: 'string', enum: [...PAGERDUTY_ACTIONS] },
    dedup_key: { type: 'string', maxLength: 255 },
    payload: {
      type: 'object',
      required: ['summary', 'source', 'severity'],
      properties: {
        summary: { type: 'string', maxLength: 1024 },
        source: { type: 'string' },
        severity: { type: 'string', enum: [...PAGERDUTY_SEVERITIES] },
        timestamp: { type: 'string', description: 'ISO 8601 with a time zone' },
        component: { type: 'string' },
        group: { type: 'string' },
        class: { type: 'string' },
        custom_details: { type: 'object' },
      },
    },
    images: { type: 'array', items: { type: 'object' } },
    links: { type: 'array', items: { type: 'object' } },
    client: { type: 'string' },
    client_url: { type: 'string' },
  },
};

function routingKeyOf(parsed: Mapped<unknown>): string | undefined {
  return parsed.ok && isRecord(parsed.value) ? presentString(parsed.value.routing_key) : undefined;
}

/**
 * PagerDuty's Events API v2 at PagerDuty's path: a tool configured with
 * `https://events.pagerduty.com/v2/enqueue` needs only Vigil's base URL instead, and an API key as
 * its `routing_key`. With INGEST_AUTH on, a missing or unknown routing_key is answered 401 and one
 * that may not send as the source 403 — PagerDuty would say 400, but a client retries neither.
 */
@ApiTags('pagerduty')
@Controller('v2')
export class PagerDutyController {
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly metrics: IngestMetrics,
    private readonly rpc: RpcClient,
  ) {}

  @Post('enqueue')
  @HttpCode(202)
  @ApiOperation({
    summary: 'PagerDuty Events API v2: trigger, acknowledge or resolve an alert',
    description:
      "Fingerprint `pd:<dedup_key>` (generated and returned when a trigger has none); node = payload.source, type = payload.class ?? payload.component, severity from PD-CEF (error → major, info → indeterminate), resolve → cleared. An identical call re-sent within the duplicate window is stored once (`duplicate: true`). Acknowledge is answered 202 but not applied yet (`stored: false`). Errors use PagerDuty's shape: `{status: 'invalid event', message, errors: [...]}`.",
  })
  @ApiQuery({
    name: 'source',
    required: false,
    description: 'the Vigil source (default: the API key\'s only source, else "pagerduty")',
  })
  @ApiBody({ schema: ENQUEUE_SCHEMA })
  @ApiResponse({
    status: 202,
    description:
      "`{status: 'success', message: 'Event processed', dedup_key, stored, id, fingerprint, duplicate}`",
  })
  @ApiResponse({
    status: 400,
    description:
      "`{status: 'invalid event', message: 'Event object is invalid', errors: ['payload.summary is required…']}`",
  })
  @ApiResponse({ status: 401, description: 'no or invalid routing_key (API key)' })
  @ApiResponse({ status: 403, description: 'the API key may not send as this source' })
  @ApiResponse({ status: 413, description: 'larger than INGEST_MAX_EVENT_BYTES' })
  @ApiResponse({ status: 429, description: 'rate limit exceeded; PagerDuty clients retry' })
  @ApiResponse({ status: 503, description: 'not stored; retry' })
  enqueue(
    @Body() body: Buffer | undefined,
    @Req() request: FastifyRequest,
    @Query('source') source: string | string[] | undefined,
  ): Promise<EnqueueResponse> {
    const bytes = body ?? Buffer.alloc(0);
    const parsed = parseJsonBody(bytes);
    return this.pipeline.one(request, {
      protocol: 'pagerduty',
      bytes,
      admission: {
        key: routingKeyOf(parsed),
        source: { requested: requestedSource(source), fallback: FALLBACK_SOURCE },
      },
      read: (admitted) => this.read(parsed, admitted),
      fieldName: pagerDutyField,
      refused: (refusal, errors) => new HttpException(invalidEventBody(errors), statusOfRefusal(refusal)),
    });
  }

  /** A trigger or resolve is an event to store; an acknowledge is a command (see `acknowledge`). */
  private read(parsed: Mapped<unknown>, admitted: Admitted): OneEventReading<EnqueueResponse> {
    const mapped = parsed.ok
      ? mapPagerDutyEvent(parsed.value, {
          source: admitted.source ?? FALLBACK_SOURCE,
          newDedupKey: randomUUID,
        })
      : parsed;
    if (!mapped.ok) return mapped;
    const { value } = mapped;
    if (value.action === 'acknowledge') {
      return { ok: true, notAnEvent: () => this.acknowledge(value, admitted) };
    }
    return {
      ok: true,
      candidate: value.event,
      answer: (stored) => ({
        status: 'success',
        message: 'Event processed',
        dedup_key: value.dedupKey,
        stored: true,
        ...stored,
      }),
    };
  }

  /**
   * Not an event: acknowledging is an operator's command on the alert, so it goes to the
   * correlator's acknowledge command for the alert of `pd:<dedup_key>`. Published as an event it
   * would count a tally, set a severity and reopen resolved alerts. As PagerDuty does, an
   * acknowledge for an unknown dedup_key, or for an alert that can no longer be acknowledged
   * (resolved, closed), is answered 202 and changes nothing (`stored: false`); a correlator that
   * does not answer is a 503, so the sender retries (the command id makes the retry harmless).
   */
  private async acknowledge(
    acknowledgement: Extract<PagerDutyEvent, { action: 'acknowledge' }>,
    admitted: Admitted,
  ): Promise<EnqueueResponse> {
    const answer = (stored: boolean, outcome: 'acknowledged' | 'ignored'): EnqueueResponse => {
      this.metrics.events.inc({ via: 'http', protocol: 'pagerduty', outcome });
      return {
        status: 'success',
        message: 'Event processed',
        dedup_key: acknowledgement.dedupKey,
        stored,
        fingerprint: acknowledgement.fingerprint,
      };
    };
    try {
      const found = await this.rpc.request(RpcSubjects.AlertFindByFingerprint, {
        fingerprint: acknowledgement.fingerprint,
      });
      const reply = await this.rpc.request(RpcSubjects.AlertAcknowledge, {
        alertId: found.alertId,
        actor: admitted.keyId ? `pagerduty:${admitted.keyId}` : 'pagerduty',
        commandId: acknowledgement.commandId,
        reason: 'PagerDuty Events v2 acknowledge',
      });
      return answer(reply.changed && !reply.replayed, 'acknowledged');
    } catch (error) {
      if (error instanceof RpcError && (error.code === 'not_found' || error.code === 'conflict')) {
        return answer(false, 'ignored');
      }
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        `acknowledge not applied, retry later: ${errorText(error)}`,
        1,
      );
    }
  }
}
