import { Injectable } from '@nestjs/common';
import { WebhookNotificationV1 } from './notification-policy';

export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/** POSTs one JSON notification; anything but a 2xx within the timeout is a failure to retry. */
@Injectable()
export class WebhookSender {
  async send(url: string, body: WebhookNotificationV1, timeoutMs: number): Promise<void> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'vigil-notifier/1',
          // Lets receivers drop the rare duplicate of an at-least-once delivery.
          'idempotency-key': body.notificationId,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new WebhookDeliveryError(
        `request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new WebhookDeliveryError(`receiver answered ${response.status}`);
  }
}
