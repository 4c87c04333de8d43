import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { HEARTBEAT_BATCH_SIZE, HeartbeatMonitor } from './heartbeat-monitor.service';
import { HEARTBEAT_OPTIONS } from './heartbeat-options';
import type { HeartbeatOptions } from './heartbeat-options';

/**
 * The heartbeat loop of every replica: judges due deadlines, at once again while passes come back
 * full, otherwise after the poll interval. Deadlines live in Postgres, so nothing is lost with a process.
 */
@Injectable()
export class HeartbeatPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatPoller.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly monitor: HeartbeatMonitor,
    @Inject(HEARTBEAT_OPTIONS) private readonly options: HeartbeatOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.monitor.judgeDue();
      } catch (error) {
        this.logger.warn(`judging heartbeats failed, will retry: ${errorText(error)}`);
      }
      if (claimed < HEARTBEAT_BATCH_SIZE && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
  }
}
