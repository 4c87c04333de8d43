import { DateTime, IANAZone, Zone } from 'luxon';
import { ScheduleDocument, WEEKDAYS } from './document';

export const DEFAULT_SCHEDULE_ZONE = 'UTC';

const MINUTES_PER_DAY = 24 * 60;

export interface CompiledSchedule {
  readonly name: string;
  isIn(now: Date): boolean;
}

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * A weekly window, with Panther's exact semantics (PC:src/schedule.coffee `is_in`):
 * - the local minute of the day must lie in (start, end] — after the start minute, up to and
 *   including the end minute;
 * - when end is before start the window wraps over midnight as two spans of the *same* calendar day,
 *   [00:00, end] and (start, 24:00]: Friday 22:00–06:00 on [Friday] covers early Friday morning and
 *   late Friday evening, and a night shift into Saturday needs Saturday listed too.
 * The zone is a luxon zone, so offsets and DST follow the IANA rules for each instant.
 */
export function compileSchedule(document: ScheduleDocument): CompiledSchedule {
  const zone: Zone = IANAZone.create(document.timezone ?? DEFAULT_SCHEDULE_ZONE);
  const start = minutesOf(document.start);
  const end = minutesOf(document.end);
  // Panther's first span starts at 0 exclusive too, so midnight itself is outside an overnight window.
  const spans: readonly (readonly [number, number])[] =
    end < start
      ? [
          [0, end],
          [start, MINUTES_PER_DAY],
        ]
      : [[start, end]];
  const days = new Set(document.days.map((day) => WEEKDAYS.indexOf(day) + 1));

  // Offsets are whole minutes, so the answer can only change at a minute boundary: remember it.
  let lastMinute = Number.NaN;
  let lastAnswer = false;
  return {
    name: document.name,
    isIn(now: Date): boolean {
      const minute = Math.floor(now.getTime() / 60_000);
      if (minute === lastMinute) return lastAnswer;
      const local = DateTime.fromMillis(now.getTime(), { zone });
      const ofDay = local.hour * 60 + local.minute;
      lastAnswer = days.has(local.weekday) && spans.some(([from, to]) => from < ofDay && ofDay <= to);
      lastMinute = minute;
      return lastAnswer;
    },
  };
}
