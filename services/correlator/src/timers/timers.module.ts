import { DynamicModule, Module } from '@nestjs/common';
import { TIMER_OPTIONS, TimerOptions, TimerPoller } from './timer.poller';
import { TimerService } from './timer.service';

/** Lifecycle timers (expiry, snooze ends, reopen windows, flap checks), kept in `correlator.timers`. */
@Module({})
export class TimersModule {
  static register(options: TimerOptions): DynamicModule {
    return {
      module: TimersModule,
      providers: [{ provide: TIMER_OPTIONS, useValue: options }, TimerService, TimerPoller],
      exports: [TimerService],
    };
  }
}
