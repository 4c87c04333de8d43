import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { HOUSEKEEPING_SETTINGS, HousekeepingService } from './housekeeping.service';
import type { HousekeepingSettings } from './housekeeping.service';

/**
 * The housekeeping loop of every replica: a pass at start-up, then every interval. Not a `PollLoop`:
 * the first pass is awaited before the service starts, and passes are hours apart, never repeated
 * at once.
 */
@Injectable()
export class HousekeepingPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HousekeepingPoller.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly housekeeping: HousekeepingService,
    @Inject(HOUSEKEEPING_SETTINGS) private readonly options: HousekeepingSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Awaited, so a started correlator has today's partitions (the default one would take the
    // rows otherwise, and housekeeping would have to move them later).
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.housekeeping.settled();
  }

  private async tick(): Promise<void> {
    try {
      const pass = await this.housekeeping.runPass();
      if (pass.failures.length) this.logger.warn(`housekeeping: ${pass.failures.join('; ')}`);
    } catch (error) {
      this.logger.warn(`housekeeping pass failed, will retry: ${errorText(error)}`);
    }
  }
}
