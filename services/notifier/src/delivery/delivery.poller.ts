import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  CHANNEL_FAILING_EVENT_TYPE,
  NOTIFICATION_FAILED_SCHEMA,
  NotificationFailedV1,
  NOTIFIER_EVENT_SOURCE,
  Subjects,
} from '@vigil/contracts';
import { EventPublisher } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { PollLoop } from '@vigil/runtime';
import { Counter } from 'prom-client';
import { ChannelRegistry, DeliveryError } from '../channels';
import { contactByTarget, isFeedTarget, NotifierConfig } from '../config';
import { DELIVERY_SETTINGS } from './delivery.settings';
import type { DeliverySettings } from './delivery.settings';
import { ClaimedDelivery, DeliveryRepository } from './delivery.repository';
import { RateLimiter, retryDelayMs } from './retry-policy';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends queued deliveries, pages' and the transition feed's alike: claims due rows (FOR UPDATE
 * SKIP LOCKED, with a lease), sends each through its channel's adapter, and records the outcome.
 * Retryable failures come back after an exponential, jittered back-off; after the last attempt the
 * delivery is failed for good, a NotificationFailedV1 is published and the failing channel is
 * raised as an alert (cleared by its next successful send).
 */
@Injectable()
export class DeliveryPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryPoller.name);
  private readonly loop: PollLoop;
  private readonly limiter = new RateLimiter();
  /** Targets raised as failing by this process, so their next success clears the alert. */
  private readonly failing = new Set<string>();
  private readonly outcomes: Counter<'channel' | 'outcome'>;
  private readonly shutdown = new AbortController();
  /** Sends started by `send`, awaited at shutdown so each records its outcome. */
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly registry: ChannelRegistry,
    private readonly config: NotifierConfig,
    private readonly publisher: EventPublisher,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter(
      'deliveries_total',
      'Notification deliveries by channel type and outcome (sent, retried, rate_limited, failed).',
      ['channel', 'outcome'],
    );
    this.loop = new PollLoop(
      () => this.pass(),
      settings.pollIntervalMs,
      (error) => this.logger.error(`delivery pass failed: ${describeError(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await this.loop.stop();
    await Promise.allSettled([...this.sending]);
  }

  kick(): void {
    this.loop.kick();
  }

  /** How long a queued delivery stays claimed by the process that queued it. */
  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  /**
   * Sends deliveries this process queued (born claimed) as soon as their transaction committed,
   * without waiting for a pass; what fails is retried through the log like any other delivery.
   */
  send(claimed: readonly ClaimedDelivery[]): void {
    for (const delivery of claimed) {
      const sending = this.deliver(delivery)
        .catch((error: unknown) =>
          this.logger.error(`${delivery.dedup_key}: sending failed: ${describeError(error)}`),
        )
        .finally(() => this.sending.delete(sending));
      this.sending.add(sending);
    }
  }

  async pass(): Promise<boolean> {
    const claimed = await this.repository.claim(this.settings.batchSize, this.settings.leaseMs);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    return claimed.length === this.settings.batchSize;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const snapshot = this.config.current();
    const contact = contactByTarget(snapshot, delivery.target);
    if (!contact) {
      // Feed URLs come from each replica's environment: during a rollout that changes them another
      // replica may know the target, so this one only uses up an attempt. Configured channels and
      // users are the same on every replica: gone is gone.
      if (isFeedTarget(delivery.target) && delivery.attempts < this.settings.maxAttempts) {
        const reason = `${delivery.target} is not configured on this replica`;
        await this.retryLater(delivery, reason, undefined, delivery.channel_type);
        return;
      }
      await this.giveUp(delivery, `${delivery.target} is no longer configured`);
      return;
    }
    const wait =
      contact.rateLimitPerMinute === null
        ? 0
        : this.limiter.take(delivery.target, contact.rateLimitPerMinute);
    if (wait > 0) {
      await this.repository.retry(delivery.id, wait, 'waiting for the rate limit', false);
      this.outcomes.inc({ channel: contact.channelType, outcome: 'rate_limited' });
      return;
    }
    try {
      const adapter = this.registry.adapter(contact.channelType);
      await adapter.send(contact.config, delivery.payload, { signal: this.shutdown.signal });
      await this.repository.sent(delivery.id);
      this.outcomes.inc({ channel: contact.channelType, outcome: 'sent' });
      if (this.failing.delete(delivery.target))
        await this.announceChannel(delivery, contact.channelType, undefined);
    } catch (error) {
      const reason = describeError(error);
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      if (retryable && delivery.attempts < this.settings.maxAttempts) {
        const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
        await this.retryLater(delivery, reason, retryAfterMs, contact.channelType);
        return;
      }
      await this.giveUp(delivery, reason, contact.channelType);
    }
  }

  private async retryLater(
    delivery: ClaimedDelivery,
    reason: string,
    retryAfterMs: number | undefined,
    channelType: string,
  ): Promise<void> {
    const delay = retryDelayMs(delivery.attempts, this.settings.backoff, retryAfterMs);
    await this.repository.retry(delivery.id, delay, reason, true);
    this.outcomes.inc({ channel: channelType, outcome: 'retried' });
    this.logger.warn(
      `${delivery.dedup_key}: attempt ${delivery.attempts} failed (${reason}); again in ${delay} ms`,
    );
  }

  private async giveUp(
    delivery: ClaimedDelivery,
    reason: string,
    channelType = delivery.channel_type,
  ): Promise<void> {
    await this.repository.failed(delivery.id, reason);
    this.outcomes.inc({ channel: channelType, outcome: 'failed' });
    this.logger.error(`${delivery.dedup_key}: given up after ${delivery.attempts} attempt(s): ${reason}`);
    const failed: NotificationFailedV1 = {
      schema: NOTIFICATION_FAILED_SCHEMA,
      notificationId: delivery.dedup_key,
      kind: delivery.kind,
      ...(delivery.page_id ? { pageId: delivery.page_id } : {}),
      channelType,
      target: delivery.target,
      attempts: delivery.attempts,
      error: reason.slice(0, 2000),
      failedAt: new Date().toISOString(),
    };
    try {
      await this.publisher.publish(Subjects.NotificationsFailed, channelType, failed, {
        msgId: `failed:${delivery.dedup_key}`.slice(0, 256),
      });
      this.failing.add(delivery.target);
      await this.announceChannel(delivery, channelType, reason);
    } catch (error) {
      // The delivery is marked failed either way; the announcement is best effort.
      this.logger.error(`could not announce the failure of ${delivery.dedup_key}: ${describeError(error)}`);
    }
  }

  /** Raises (with `reason`) or clears the alert about a failing target, as any producer would. */
  private async announceChannel(delivery: ClaimedDelivery, channelType: string, reason: string | undefined) {
    const now = new Date().toISOString();
    const id = `${reason ? 'failing' : 'ok'}:${delivery.target}:${now}`;
    await this.publisher.publish(
      Subjects.EventsRaw,
      NOTIFIER_EVENT_SOURCE,
      {
        id,
        source: NOTIFIER_EVENT_SOURCE,
        node: delivery.target,
        type: CHANNEL_FAILING_EVENT_TYPE,
        severity: reason ? 'major' : 'cleared',
        summary: reason
          ? `Notifications to ${delivery.target} (${channelType}) are failing: ${reason}`.slice(0, 1000)
          : `Notifications to ${delivery.target} (${channelType}) are delivered again`,
        occurredAt: now,
        fingerprint: `notifier:channel-failing:${delivery.target}`,
        labels: { channel: delivery.target, channelType },
      },
      { msgId: id.slice(0, 128) },
    );
  }
}
