import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { WebhookNotificationV1 } from './notification-policy';

export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/**
 * POSTs one JSON notification; anything but a 2xx within the timeout is a failure to retry.
 * undici's request API with a keep-alive pool: `fetch` costs several times the CPU per call.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });

  async send(url: string, body: WebhookNotificationV1, timeoutMs: number): Promise<void> {
    let statusCode: number;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'vigil-notifier/1',
          // Lets receivers drop the rare duplicate of an at-least-once delivery.
          'idempotency-key': body.notificationId,
        },
        body: JSON.stringify(body),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      statusCode = response.statusCode;
      // Drain the body so the connection can be reused.
      await response.body.dump();
    } catch (error) {
      throw new WebhookDeliveryError(
        `request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (statusCode < 200 || statusCode >= 300)
      throw new WebhookDeliveryError(`receiver answered ${statusCode}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}
