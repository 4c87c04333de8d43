import { Injectable } from '@nestjs/common';
import { Subject } from '@vigil/contracts';
import { EventPublisher } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { OutboxRepository, OutboxRow } from './outbox.repository';

const encoder = new TextEncoder();

/**
 * Publishes committed outbox rows to JetStream with their message ids, then deletes them. A crash
 * between PubAck and delete republishes the row; the stream's duplicate window drops it.
 */
@Injectable()
export class OutboxService {
  private readonly published: Counter;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    metrics: ServiceMetrics,
  ) {
    this.published = metrics.counter('outbox_published_total', 'Outbox messages published to JetStream.');
  }

  /** Relays up to `limit` of the oldest rows; returns how many (a full batch: call again). */
  async relay(limit: number): Promise<number> {
    const relayed = await this.outbox.relay(limit, (rows) => this.publish(rows));
    this.published.inc(relayed);
    return relayed;
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    // One connection keeps publish order, so an alert's changes are stored in sequence order.
    await Promise.all(
      rows.map((row) =>
        this.publisher.publishBytes(
          row.family as Subject,
          row.token,
          encoder.encode(JSON.stringify(row.payload)),
          {
            msgId: row.msg_id,
            headers: row.headers,
          },
        ),
      ),
    );
  }
}
