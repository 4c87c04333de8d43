import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Subject } from '@vigil/contracts';
import { errorText, EventPublisher } from '@vigil/messaging';
import { PollLoop } from '@vigil/runtime';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { OutboxRepository, OutboxRow } from './outbox.repository';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  pollIntervalMs: number;
  batchSize: number;
}

const encoder = new TextEncoder();

/**
 * Publishes committed outbox rows to JetStream with their message ids, then deletes them. Woken at
 * once by this process's commits, and by a poll for rows other replicas or a crash left behind.
 * A crash between PubAck and delete republishes the row; the stream's duplicate window drops it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly published: Counter;
  private readonly loop: PollLoop;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    @Inject(OUTBOX_OPTIONS) options: OutboxOptions,
    metrics: ServiceMetrics,
  ) {
    this.published = metrics.counter('outbox_published_total', 'Outbox messages published to JetStream.');
    this.loop = new PollLoop(
      async () => {
        const relayed = await this.outbox.relay(options.batchSize, (rows) => this.publish(rows));
        this.published.inc(relayed);
        return relayed >= options.batchSize;
      },
      options.pollIntervalMs,
      (error) => this.logger.warn(`outbox relay failed, will retry: ${errorText(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** There is new work: skip the rest of the poll interval. */
  kick(): void {
    this.loop.kick();
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
