// What other folders may use of timers/.
export { TimersModule } from './timers.module';
export { TIMER_OPTIONS } from './timer.poller';
export type { TimerOptions } from './timer.poller';
