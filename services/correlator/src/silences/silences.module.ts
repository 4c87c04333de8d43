import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { InhibitRulesHandler } from './inhibit-rules.handler';
import { MaintenanceWindowsHandler } from './maintenance-windows.handler';
import { SilenceRules } from './silence-rules';
import { SilenceTimerService } from './silence-timer.service';
import { SilencesRepository } from './silences.repository';

/**
 * Silences: maintenance windows and inhibition rules — their API, the definitions in memory
 * (`SilenceRules`, the `AlertSilences` the alerts module consults, bound by the root wiring), and
 * the silence timers the timer poller fires, which change alerts through the alerts module.
 * Configured by the root wiring (`SILENCE_SETTINGS`).
 */
@Module({
  imports: [AlertsModule],
  controllers: [MaintenanceWindowsHandler, InhibitRulesHandler],
  providers: [SilenceRules, SilencesRepository, SilenceTimerService],
  exports: [SilenceRules, SilenceTimerService],
})
export class SilencesModule {}
