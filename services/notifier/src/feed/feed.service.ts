import { Injectable, Logger } from '@nestjs/common';
import type { AlertChangedV1 } from '@vigil/contracts';
import { Sql, SqlPool } from '@vigil/persistence';
import { NotifierConfig } from '../config';
import { ClaimedDelivery, DeliveryRepository, DeliveryPoller, NewDelivery } from '../delivery';
import { feedNotification, notificationKey, shouldNotify, suppression } from './feed-policy';

/**
 * The transition feed: every notified alert transition to every `NOTIFIER_WEBHOOK_URLS` receiver,
 * whatever routing and escalation decide — a standing subscription served by the delivery log.
 * Each (transition, URL) is one delivery row, unique on its key, so a redelivered change or a
 * second replica queues nothing twice; the delivery poller sends, retries and reports it like any
 * other notification.
 */
@Injectable()
export class FeedService {
  private readonly logger = new Logger(FeedService.name);

  constructor(
    private readonly sql: SqlPool,
    private readonly config: NotifierConfig,
    private readonly deliveries: DeliveryRepository,
    private readonly poller: DeliveryPoller,
  ) {}

  /** Queues the feed's deliveries of these changes; resolves once they are stored. */
  async queue(messages: readonly AlertChangedV1[], now = new Date()): Promise<void> {
    this.send(await this.queueIn(this.sql, messages, now));
  }

  /**
   * Queues them in the caller's transaction; returns the new deliveries, which the caller hands to
   * `send` once the transaction is committed.
   */
  async queueIn(sql: Sql, messages: readonly AlertChangedV1[], now = new Date()): Promise<ClaimedDelivery[]> {
    const targets = [...this.config.current().feeds.values()];
    if (!targets.length) return [];
    const rows = new Map<string, NewDelivery>();
    for (const message of messages) {
      const suppressed = suppression(message);
      if (suppressed) {
        const { alertId, change, sequence } = message;
        this.logger.debug(`alert ${alertId} ${change} (sequence ${sequence}) not fed: ${suppressed}`);
        continue;
      }
      if (!shouldNotify(message.change)) continue;
      const notification = feedNotification(message, now);
      for (const target of targets) {
        const id = notificationKey(message, target.config.url);
        // The same transition twice in one batch (a redelivery) is one delivery.
        if (rows.has(id)) continue;
        rows.set(id, {
          dedupKey: id,
          kind: notification.kind,
          target: target.target,
          channelType: target.channelType,
          payload: { ...notification, id },
        });
      }
    }
    return this.deliveries.queue(sql, [...rows.values()], this.poller.leaseMs);
  }

  /** Sends what was queued, once committed. */
  send(queued: readonly ClaimedDelivery[]): void {
    this.poller.send(queued);
  }
}
