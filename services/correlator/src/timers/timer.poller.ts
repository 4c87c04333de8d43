import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { SilenceTimerService } from '../maintenance/silence-timers.service';
import { TimerService } from './timer.service';

export const TIMER_OPTIONS = Symbol('TIMER_OPTIONS');

export interface TimerOptions {
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
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly timers: TimerService,
    private readonly silenceTimers: SilenceTimerService,
    @Inject(TIMER_OPTIONS) private readonly options: TimerOptions,
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
        claimed = await this.timers.fireDue(this.options.batchSize);
        // Silencing timers (window starts and ends, reconciles) ride the same loop.
        claimed = Math.max(claimed, await this.silenceTimers.fireDue(this.options.batchSize));
      } catch (error) {
        this.logger.warn(`firing timers failed, will retry: ${errorText(error)}`);
      }
      if (claimed < this.options.batchSize && this.running) await this.idle();
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
