import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { PollLoop } from '@vigil/runtime';
import { OutboxService } from './outbox.service';

export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');

export interface OutboxSettings {
  pollIntervalMs: number;
  batchSize: number;
  /** How long a row is its writer's to publish before the relay takes it. */
  leaseMs: number;
}

/**
 * The outbox relay's loop in every replica: a poll for rows whose writer did not publish them
 * within their lease (it crashed, or NATS was away); again at once while batches come back full.
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxPoller.name);
  private readonly loop: PollLoop;

  constructor(outbox: OutboxService, @Inject(OUTBOX_SETTINGS) options: OutboxSettings) {
    this.loop = new PollLoop(
      async () => (await outbox.relay(options.batchSize, options.leaseMs)) >= options.batchSize,
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

  /** Relays what is past its lease now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }
}
