import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SendTestNotificationV1, TestDeliveryV1, TestNotificationReplyV1 } from '@vigil/contracts';
import { errorText, RpcFailure } from '@vigil/messaging';
import { ChannelRegistry, DeliveryError, Notification, sampleNotification } from '../channels';
import { ContactTarget, resolveContacts } from './config-snapshot';
import { NOTIFIER_CONFIG_SETTINGS } from './config.settings';
import type { NotifierConfigSettings } from './config.settings';
import { NotifierConfig } from './notifier-config';

/** The test message for one destination: the sample notification, unique, for its recipient. */
export function testNotification(
  request: SendTestNotificationV1,
  contact: ContactTarget,
  now: Date,
): Notification {
  const sample = sampleNotification();
  return {
    ...sample,
    id: `test-${randomUUID()}`,
    kind: 'test',
    createdAt: now.toISOString(),
    subject: {
      ...sample.subject,
      ...(request.message !== undefined && { summary: request.message }),
      firstSeenAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
    },
    recipient: contact.recipient,
    actor: request.actor,
  };
}

/**
 * Sends a test notification to a channel, or to each contact method of a user, now and all at
 * once, and reports each receiver's answer. It bypasses the delivery log on purpose: nothing is
 * retried, nothing is rate-limited, and the operator sees the first answer.
 */
@Injectable()
export class TestNotificationsService {
  private readonly logger = new Logger(TestNotificationsService.name);

  constructor(
    private readonly config: NotifierConfig,
    private readonly channels: ChannelRegistry,
    @Inject(NOTIFIER_CONFIG_SETTINGS) private readonly settings: NotifierConfigSettings,
  ) {}

  async send(request: SendTestNotificationV1): Promise<TestNotificationReplyV1> {
    const snapshot = await this.config.fresh();
    const target = { type: request.targetKind, id: request.targetId };
    const known = target.type === 'user' ? snapshot.users.has(target.id) : snapshot.channels.has(target.id);
    if (!known) throw new RpcFailure('not_found', `${target.type} "${target.id}" not found`);
    const { contacts, problems } = resolveContacts(snapshot, target);
    const now = new Date();
    const deliveries = await Promise.all(contacts.map((contact) => this.deliver(request, contact, now)));
    const unusable = problems.map((problem): TestDeliveryV1 => ({
      target: problem.target,
      channelType: problem.channelType ?? 'unknown',
      ok: false,
      error: problem.reason,
      retryable: false,
    }));
    return { deliveries: [...deliveries, ...unusable] };
  }

  private async deliver(
    request: SendTestNotificationV1,
    contact: ContactTarget,
    now: Date,
  ): Promise<TestDeliveryV1> {
    const adapter = this.channels.adapter(contact.channelType);
    const notification = testNotification(request, contact, now);
    try {
      const result = await adapter.send(contact.config, notification, {
        signal: AbortSignal.timeout(this.settings.testSendTimeoutMs),
      });
      this.logger.log(
        `test notification ${notification.id} to ${contact.target} accepted (${result.status})`,
      );
      return { target: contact.target, channelType: contact.channelType, ok: true, status: result.status };
    } catch (error) {
      this.logger.warn(
        `test notification ${notification.id} to ${contact.target} failed: ${errorText(error)}`,
      );
      if (error instanceof DeliveryError) {
        return {
          target: contact.target,
          channelType: contact.channelType,
          ok: false,
          ...(error.status !== undefined && { status: error.status }),
          error: error.message,
          retryable: error.retryable,
        };
      }
      return {
        target: contact.target,
        channelType: contact.channelType,
        ok: false,
        error: errorText(error),
        retryable: false,
      };
    }
  }
}
