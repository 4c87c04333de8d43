import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { PollLoop } from '@vigil/runtime';
import { OutboxService } from './outbox.service';

export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');

export interface OutboxSettings {
  pollIntervalMs: number;
  batchSize: number;
}

/**
 * The outbox relay's loop in every replica: woken at once by this process's commits (`kick`), and
 * by a poll for rows other replicas or a crash left behind; again at once while batches come back full.
 */
@Injectable()
export class OutboxPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxPoller.name);
  private readonly loop: PollLoop;

  constructor(outbox: OutboxService, @Inject(OUTBOX_SETTINGS) options: OutboxSettings) {
    this.loop = new PollLoop(
      async () => (await outbox.relay(options.batchSize)) >= options.batchSize,
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
}
