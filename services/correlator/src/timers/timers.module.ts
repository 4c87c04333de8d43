import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { SilencesModule } from '../silences';
import { TimerPoller } from './timer.poller';
import { TimerService } from './timer.service';

/**
 * Lifecycle timers (expiry, snooze ends, reopen windows, flap checks), kept in `correlator.timers`
 * and fired through the alerts module; the same poll fires the silence timers. Configured by the
 * root wiring (`TIMER_SETTINGS`).
 */
@Module({
  imports: [AlertsModule, SilencesModule],
  providers: [TimerService, TimerPoller],
})
export class TimersModule {}
