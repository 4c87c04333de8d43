export {
  SCHEDULE_DAYS,
  SCHEDULE_ID_PATTERN,
  SCHEDULE_LIMITS,
  parseSchedule,
  scheduleUserIds,
} from './schedule';
export type {
  DailyRestriction,
  Schedule,
  ScheduleDay,
  ScheduleLayer,
  ScheduleOverride,
  ScheduleRestriction,
  ScheduleRotation,
  WeeklyRestriction,
} from './schedule';
export { MAX_SHIFT_SPAN_DAYS, scheduleShifts, whoIsOnCall } from './on-call';
export type { OnCall, Shift } from './on-call';
export { toICalendar } from './icalendar';
export type { ICalendarInput } from './icalendar';
