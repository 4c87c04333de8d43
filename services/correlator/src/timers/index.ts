// What other folders may use of timers/.
export { TimersModule } from './timers.module';
export { TIMER_SETTINGS } from './timer.poller';
export type { TimerSettings } from './timer.poller';
