import { DynamicModule, Module } from '@nestjs/common';
import { MaintenanceWindowsHandler } from './maintenance-windows.handler';
import { SilenceRules } from './silence-rules';
import { SILENCE_OPTIONS, SilenceOptions, SilenceTimerService } from './silence-timers.service';
import { SilencesRepository } from './silences.repository';

/**
 * Maintenance windows (and the silencing machinery inhibition shares): definitions in memory for
 * batches, their API, and the silencing timers the timer poller fires. Global: batches, commands
 * and timers consult the rules.
 */
@Module({})
export class MaintenanceModule {
  static register(options: SilenceOptions): DynamicModule {
    return {
      module: MaintenanceModule,
      global: true,
      controllers: [MaintenanceWindowsHandler],
      providers: [
        { provide: SILENCE_OPTIONS, useValue: options },
        SilenceRules,
        SilencesRepository,
        SilenceTimerService,
      ],
      exports: [SilenceRules, SilencesRepository, SilenceTimerService],
    };
  }
}
