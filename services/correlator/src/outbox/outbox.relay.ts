import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Subject } from '@vigil/contracts';
import { errorText, EventPublisher } from '@vigil/messaging';
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
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: EventPublisher,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    metrics: ServiceMetrics,
  ) {
    this.published = metrics.counter('outbox_published_total', 'Outbox messages published to JetStream.');
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** There is new work: skip the rest of the poll interval. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let relayed = 0;
      try {
        this.kicked = false;
        relayed = await this.outbox.relay(this.options.batchSize, (rows) => this.publish(rows));
        this.published.inc(relayed);
      } catch (error) {
        this.logger.warn(`outbox relay failed, will retry: ${errorText(error)}`);
      }
      if (relayed < this.options.batchSize && this.running && !this.kicked) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      const wake = () => done();
      this.wake = wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
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
