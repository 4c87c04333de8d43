// What other folders may use of silences/ (maintenance windows and inhibition rules).
export { SilencesModule } from './silences.module';
export { SilenceRules } from './silence-rules';
export { SILENCE_SETTINGS, SilenceTimerService } from './silence-timer.service';
export type { SilenceSettings } from './silence-timer.service';
