import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { PollLoop } from '@vigil/runtime';
import { SilenceTimerService } from '../silences';
import { TimerService } from './timer.service';

export const TIMER_SETTINGS = Symbol('TIMER_SETTINGS');

export interface TimerSettings {
  pollIntervalMs: number;
  batchSize: number;
}

/**
 * The poll loop of every replica: fires due timers, at once again while batches come back full,
 * otherwise after the poll interval. Timers live in Postgres, so nothing is lost with a process.
 */
@Injectable()
export class TimerPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TimerPoller.name);
  private readonly loop: PollLoop;

  constructor(
    timers: TimerService,
    silenceTimers: SilenceTimerService,
    @Inject(TIMER_SETTINGS) options: TimerSettings,
  ) {
    this.loop = new PollLoop(
      async () => {
        const fired = await timers.fireDue(options.batchSize);
        // Silence timers (window starts and ends, reconciles) ride the same loop.
        const silences = await silenceTimers.fireDue(options.batchSize);
        return Math.max(fired, silences) >= options.batchSize;
      },
      options.pollIntervalMs,
      (error) => this.logger.warn(`firing timers failed, will retry: ${errorText(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
