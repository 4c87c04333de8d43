import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertChangedV1 } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { NotificationLogRepository } from './notification-log.repository';
import { displayTarget, notificationKey, shouldNotify, webhookBody } from './notification-policy';
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

/**
 * Sends each notified alert transition to every webhook once. Each (transition, target) is claimed
 * in the notification log before sending and marked sent after, so a redelivered message skips what
 * went out. A failed target makes the whole message fail, so the transport retries it with back-off;
 * the retry only sends to the targets still pending.
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
      'Webhook notifications by outcome (sent, failed, already_sent, not_notified).',
      ['outcome'],
    );
  }

  async notify(message: AlertChangedV1, finalAttempt: boolean): Promise<void> {
    if (!shouldNotify(message.change) || !this.settings.urls.length) {
      this.outcomes.inc({ outcome: 'not_notified' });
      return;
    }
    const failures = (
      await Promise.all(this.settings.urls.map((url) => this.deliver(message, url, finalAttempt)))
    ).filter((failure): failure is string => failure !== undefined);
    if (failures.length) throw new NotificationsPendingError(failures);
  }

  /** Returns why the delivery is not done, or undefined when it is (now or before). */
  private async deliver(
    message: AlertChangedV1,
    url: string,
    finalAttempt: boolean,
  ): Promise<string | undefined> {
    const dedupKey = notificationKey(message, url);
    const target = displayTarget(url);
    const claim = await this.log.claim(
      {
        dedupKey,
        alertId: message.alertId,
        alertSequence: message.sequence,
        change: message.change,
        channel: 'webhook',
        target,
      },
      this.settings.timeoutMs * 3,
    );
    if (claim === 'already_sent') {
      this.outcomes.inc({ outcome: 'already_sent' });
      return undefined;
    }
    if (claim === 'in_progress') return `${target}: being sent by another process`;
    try {
      await this.sender.send(url, webhookBody(message, dedupKey, new Date()), this.settings.timeoutMs);
      await this.log.markSent(dedupKey);
      this.outcomes.inc({ outcome: 'sent' });
      return undefined;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.log.markFailed(dedupKey, reason, finalAttempt);
      this.outcomes.inc({ outcome: 'failed' });
      this.logger.warn(`alert ${message.alertId} ${message.change} to ${target} failed: ${reason}`);
      return `${target}: ${reason}`;
    }
  }
}
