import { activeSpan, isActive, nextChange } from '@vigil/matching';
import type { Heartbeat } from './heartbeat';

/** Windows looked at before a schedule is taken to never host a deadline again (short DST nights aside, the first one does). */
const MAX_WINDOWS = 1_000;

/** Whether events are expected at `at`: always without a schedule, otherwise while it is active. */
export function expectedAt(heartbeat: Heartbeat, at: Date): boolean {
  return heartbeat.schedule === undefined || isActive(heartbeat.schedule, at);
}

/**
 * The deadline in the first window that opens after `after` (a time outside the schedule): the
 * window's start plus the interval, in the first window long enough to contain it. A window is
 * shorter than its `durationMinutes` on the night clocks go forward, and then the next one serves.
 * Undefined when the schedule never opens again (its `until` has passed).
 */
function deadlineInNextWindow(heartbeat: Heartbeat, after: Date): Date | undefined {
  const schedule = heartbeat.schedule;
  if (schedule === undefined) return undefined;
  let cursor = after;
  for (let step = 0; step < MAX_WINDOWS; step++) {
    const current = activeSpan(schedule, cursor);
    if (current) {
      cursor = current.end;
      continue;
    }
    const start = nextChange(schedule, cursor);
    const span = start && activeSpan(schedule, start);
    if (!start || !span) return undefined;
    const deadline = new Date(start.getTime() + heartbeat.intervalMs);
    if (deadline < span.end) return deadline;
    cursor = span.end;
  }
  return undefined;
}

/**
 * When a miss is judged after an event received at `seenAt` (or after the heartbeat began waiting):
 * `seenAt` plus the interval when events are expected then; otherwise — the deadline falls outside
 * the schedule — the interval restarts when the next window opens. Undefined: never (the schedule
 * has ended).
 */
export function deadlineAfter(heartbeat: Heartbeat, seenAt: Date): Date | undefined {
  const deadline = new Date(seenAt.getTime() + heartbeat.intervalMs);
  return expectedAt(heartbeat, deadline) ? deadline : deadlineInNextWindow(heartbeat, deadline);
}

export type DeadlineVerdict = { missed: true } | { missed: false; next: Date | undefined };

/**
 * A deadline has passed without an event: a miss when events were expected at that moment;
 * otherwise (the schedule changed since the deadline was set) the deadline moves to the next window.
 */
export function judgeDeadline(heartbeat: Heartbeat, deadline: Date): DeadlineVerdict {
  if (expectedAt(heartbeat, deadline)) return { missed: true };
  return { missed: false, next: deadlineInNextWindow(heartbeat, deadline) };
}
