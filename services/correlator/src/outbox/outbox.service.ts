import { Injectable, Logger } from '@nestjs/common';
import { Subject } from '@vigil/contracts';
import { errorText, EventPublisher } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { OutboxMessage, OutboxRepository } from './outbox.repository';

const encoder = new TextEncoder();

/**
 * Publishes committed outbox messages to JetStream with their message ids, then deletes their
 * rows. The writer of a transaction publishes its own messages as soon as it commits
 * (`publishCommitted`); the relay (`relay`) takes the rows a writer did not get to publish (it
 * crashed, or NATS was away) once their lease is over. A crash between PubAck and delete, or a
 * writer and the relay both publishing a row, publishes it twice: the stream's duplicate window
 * drops the second.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);
  private readonly published: Counter;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    metrics: ServiceMetrics,
  ) {
    this.published = metrics.counter('outbox_published_total', 'Outbox messages published to JetStream.');
  }

  /**
   * Publishes the messages a transaction queued, once it has committed, and removes their rows.
   * Call it before anything else awaits: publishes leave in call order on one connection, so a
   * later transaction's change of the same alert follows. Never rejects: what fails stays in the
   * table for the relay.
   */
  publishCommitted(messages: readonly OutboxMessage[]): void {
    if (!messages.length) return;
    this.publish(messages)
      .then(() => this.outbox.removePublished(messages.map((m) => m.msgId)))
      .catch((error: unknown) =>
        this.logger.warn(
          `${messages.length} outbox message(s) left for the relay after their lease: ${errorText(error)}`,
        ),
      );
  }

  /** Relays up to `limit` of the oldest rows past `leaseMs`; returns how many (a full batch: call again). */
  async relay(limit: number, leaseMs: number): Promise<number> {
    return this.outbox.relay(limit, leaseMs, (rows) =>
      this.publish(
        rows.map((row) => ({
          family: row.family,
          token: row.token,
          msgId: row.msg_id,
          payload: row.payload as OutboxMessage['payload'],
          headers: row.headers,
        })),
      ),
    );
  }

  private async publish(messages: readonly OutboxMessage[]): Promise<void> {
    // One connection keeps publish order, so an alert's changes are stored in sequence order.
    await Promise.all(
      messages.map((message) =>
        this.publisher.publishBytes(
          message.family as Subject,
          message.token,
          encoder.encode(JSON.stringify(message.payload)),
          { msgId: message.msgId, headers: message.headers },
        ),
      ),
    );
    this.published.inc(messages.length);
  }
}
