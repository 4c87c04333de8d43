import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertChangedV1 } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { NotificationLogRepository, NotificationRecord } from './notification-log.repository';
import {
  displayTarget,
  notificationKey,
  shouldNotify,
  suppression,
  webhookBody,
} from './notification-policy';
import { WebhookSender } from './webhook.sender';

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');

export interface WebhookSettings {
  urls: string[];
  timeoutMs: number;
}

export class NotificationsPendingError extends Error {
  constructor(failures: string[]) {
    super(`${failures.length} notification(s) not delivered yet: ${failures.join('; ')}`);
    this.name = 'NotificationsPendingError';
  }
}

export interface NotificationRequest {
  message: AlertChangedV1;
  /** The transport will not deliver this message again: a failure now is final. */
  finalAttempt: boolean;
}

interface Delivery {
  record: NotificationRecord;
  url: string;
  request: NotificationRequest;
}

/**
 * Sends each notified alert transition to every webhook once. Each (transition, target) is claimed
 * in the notification log before sending and marked sent after, so a redelivered message skips what
 * went out. A failed target makes the batch fail, so the transport retries its messages with
 * back-off; a retry only sends to the targets still pending.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly log: NotificationLogRepository,
    private readonly sender: WebhookSender,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter(
      'notifications_total',
      'Webhook notifications by outcome (sent, failed, already_sent, not_notified, suppressed).',
      ['outcome'],
    );
  }

  async notify(requests: readonly NotificationRequest[]): Promise<void> {
    const deliveries = new Map<string, Delivery>();
    for (const request of requests) {
      const suppressed = suppression(request.message);
      if (suppressed) {
        const { alertId, change, sequence } = request.message;
        this.logger.log(`alert ${alertId} ${change} (sequence ${sequence}) not notified: ${suppressed}`);
        this.outcomes.inc({ outcome: 'suppressed' });
        continue;
      }
      if (!shouldNotify(request.message.change) || !this.settings.urls.length) {
        this.outcomes.inc({ outcome: 'not_notified' });
        continue;
      }
      for (const url of this.settings.urls) {
        const dedupKey = notificationKey(request.message, url);
        // The same transition twice in one batch (a redelivery) is one notification.
        if (deliveries.has(dedupKey)) continue;
        const { message } = request;
        deliveries.set(dedupKey, {
          url,
          request,
          record: {
            dedupKey,
            alertId: message.alertId,
            alertSequence: message.sequence,
            change: message.change,
            channel: 'webhook',
            target: displayTarget(url),
          },
        });
      }
    }
    if (!deliveries.size) return;

    const claims = await this.log.claim(
      [...deliveries.values()].map((d) => d.record),
      this.settings.timeoutMs * 3,
    );
    const failures: string[] = [];
    const sent: string[] = [];
    await Promise.all(
      [...deliveries.values()].map(async ({ record, url, request }) => {
        const claim = claims.get(record.dedupKey);
        if (claim === 'already_sent') {
          this.outcomes.inc({ outcome: 'already_sent' });
          return;
        }
        if (claim !== 'claimed') {
          failures.push(`${record.target}: being sent by another process`);
          return;
        }
        try {
          await this.sender.send(
            url,
            webhookBody(request.message, record.dedupKey, new Date()),
            this.settings.timeoutMs,
          );
          sent.push(record.dedupKey);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          await this.log.markFailed(record.dedupKey, reason, request.finalAttempt);
          this.outcomes.inc({ outcome: 'failed' });
          this.logger.warn(`alert ${record.alertId} ${record.change} to ${record.target} failed: ${reason}`);
          failures.push(`${record.target}: ${reason}`);
        }
      }),
    );
    await this.log.markSent(sent);
    this.outcomes.inc({ outcome: 'sent' }, sent.length);
    if (failures.length) throw new NotificationsPendingError(failures);
  }
}
