import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { PollLoop } from '@vigil/runtime';
import { HEARTBEAT_BATCH_SIZE, HeartbeatMonitorService } from './heartbeat-monitor.service';
import { HEARTBEAT_SETTINGS } from './heartbeat-settings';
import type { HeartbeatSettings } from './heartbeat-settings';

/**
 * The heartbeat loop of every replica: judges due deadlines, at once again while passes come back
 * full, otherwise after the poll interval. Deadlines live in Postgres, so nothing is lost with a process.
 */
@Injectable()
export class HeartbeatPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HeartbeatPoller.name);
  private readonly loop: PollLoop;

  constructor(monitor: HeartbeatMonitorService, @Inject(HEARTBEAT_SETTINGS) options: HeartbeatSettings) {
    this.loop = new PollLoop(
      async () => (await monitor.judgeDue()) >= HEARTBEAT_BATCH_SIZE,
      options.pollIntervalMs,
      (error) => this.logger.warn(`judging heartbeats failed, will retry: ${errorText(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
