import { ForbiddenException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { EventPublisher, NatsClient } from '@vigil/messaging';
import { IngestMetrics } from '../events/ingest.metrics';
import { IngestEnv } from '../ingest.env';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { RetryLaterException } from '@vigil/runtime';
import { TokenBuckets } from './token-buckets';

/** Who is sending: an API key's holder, or an anonymous producer where the mode allows one. */
export interface Producer {
  keyId?: string;
  /** The sources the key may send as; undefined for anonymous producers. */
  allowedSources?: readonly string[];
  ratePerSecond?: number | null;
}

/** An admitted request: who sends, and the source its events get when the protocol decides it. */
export interface Admitted extends Producer {
  source?: string;
}

/** `?source=` when given, else the API key's only source, else the protocol's name. */
export function sourceFor(producer: Producer, requested: string | undefined, fallback: string): string {
  if (requested) return requested;
  if (producer.allowedSources?.length === 1) return producer.allowedSources[0];
  return fallback;
}

export type HeaderValues = Record<string, string | string[] | undefined>;

/** How a request is admitted when its protocol differs from the usual (see `admitRequest`). */
export interface AdmitOptions {
  /** The API key when the protocol carries it in the body (PagerDuty's `routing_key`). */
  key?: string;
  /** For payloads that name no Vigil source: the `?source=` asked for, and the protocol's own name. */
  source?: { requested?: string; fallback: string };
}

/** Seconds to wait while NATS reconnects: long enough to matter, short enough not to lose a minute. */
const RECONNECT_RETRY_AFTER_SECONDS = 5;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The API key an HTTP producer presented: `Authorization: Bearer <key>`, `X-Api-Key: <key>`, or
 * Panther's `X-Api-Token: <key>`; PagerDuty and others carry it in the body (`routing_key`).
 */
export function presentedKey(headers: HeaderValues): string | undefined {
  const authorization = single(headers.authorization)?.trim();
  if (authorization) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    return bearer ? bearer[1] : authorization;
  }
  return single(headers['x-api-key'])?.trim() || single(headers['x-api-token'])?.trim() || undefined;
}

/**
 * What every HTTP ingest request passes before its events are looked at: who is sending (401/403),
 * whether they are within their rate (429) and whether JetStream can take more (503).
 */
@Injectable()
export class IngestGate {
  private readonly buckets = new TokenBuckets();

  constructor(
    private readonly env: IngestEnv,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly nats: NatsClient,
    private readonly publisher: EventPublisher,
    private readonly metrics: IngestMetrics,
  ) {}

  /** 401 when a key is required and missing or not valid; a valid key's scope is returned. */
  async authenticate(key: string | undefined): Promise<Producer> {
    if (this.env.INGEST_AUTH === 'off') return {};
    if (key === undefined || key === '') {
      if (this.env.INGEST_AUTH === 'optional') return {};
      throw new UnauthorizedException(
        'an API key is required: send "Authorization: Bearer <key>" or "X-Api-Key: <key>" (create one with `vigil apikey create`)',
      );
    }
    const verified = await this.authenticator.verify(key);
    if (!verified)
      throw new UnauthorizedException('the API key is not valid: it is unknown, mistyped or revoked');
    return { keyId: verified.id, allowedSources: verified.sources, ratePerSecond: verified.ratePerSecond };
  }

  /**
   * Takes `count` events from the producer's bucket (its key's, else `anonymousKey`'s: the source
   * when the request names one, the client address otherwise) and checks JetStream can take them.
   */
  admit(producer: Producer, count: number, anonymousKey: string): void {
    if (!this.nats.connected) {
      this.metrics.throttled.inc({ via: 'http', reason: 'unavailable' });
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'the event store (NATS JetStream) is unreachable; nothing was stored, retry later',
        RECONNECT_RETRY_AFTER_SECONDS,
      );
    }
    if (this.publisher.inFlight + count > this.env.INGEST_MAX_PENDING_PUBLISHES) {
      this.metrics.throttled.inc({ via: 'http', reason: 'backpressure' });
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        `the event store is behind (${this.publisher.inFlight} events awaiting storage); nothing was stored, retry later`,
        1,
      );
    }
    const rate = producer.ratePerSecond ?? this.env.INGEST_RATE_PER_SECOND;
    if (rate === 0) return;
    const burst = rate * this.env.INGEST_RATE_BURST_SECONDS;
    const bucketKey = producer.keyId ? `key:${producer.keyId}` : `anonymous:${anonymousKey}`;
    const taken = this.buckets.take(bucketKey, count, rate, burst, Date.now());
    if (!taken.ok) {
      this.metrics.throttled.inc({ via: 'http', reason: 'rate_limit' });
      throw new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        `rate limit of ${rate} events/s (bursts of ${burst}) exceeded for ${producer.keyId ? `API key ${producer.keyId}` : anonymousKey}; nothing was stored`,
        taken.retryAfterSeconds,
      );
    }
  }

  /**
   * Everything an HTTP request passes, in order: authentication (the key from the headers unless the
   * protocol carries it elsewhere), the source when the request decides one, then rate and capacity.
   * Protocols whose payload names no Vigil source (Alertmanager, PagerDuty, Panther, CloudEvents over
   * HTTP) pass `source`: the `?source=` the producer asked for, else the key's only source, else the
   * protocol's own name.
   */
  async admitRequest(
    request: { headers: HeaderValues; ip: string },
    count: number,
    options: AdmitOptions = {},
  ): Promise<Admitted> {
    const producer = await this.authenticate(options.key ?? presentedKey(request.headers));
    let source: string | undefined;
    if (options.source) {
      source = sourceFor(producer, options.source.requested, options.source.fallback);
      this.assertSource(producer, source);
    }
    this.admit(producer, count, source ?? request.ip);
    return { ...producer, source };
  }

  /** 403 naming the sources a key may use, for a source known before the events are read. */
  assertSource(producer: Producer, source: string): void {
    if (producer.allowedSources && !producer.allowedSources.includes(source)) {
      throw new ForbiddenException(
        `this API key may not send as "${source}" (allowed: ${producer.allowedSources.join(', ')})`,
      );
    }
  }
}
