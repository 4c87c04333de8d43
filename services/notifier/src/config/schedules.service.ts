import { Injectable } from '@nestjs/common';
import {
  NOTIFIER_CONFIG_LIMITS,
  OnCallV1,
  ScheduleShiftsReplyV1,
  ScheduleShiftsV1,
  WhoIsOnCallV1,
} from '@vigil/contracts';
import { InvalidMessageError, RpcFailure } from '@vigil/messaging';
import { Schedule, scheduleShifts, toICalendar, whoIsOnCall } from '../domain/schedules';
import type { NotifierConfigSnapshot } from './config-snapshot';
import { NotifierConfig } from './notifier-config';

const DAY_MS = 24 * 3600_000;
/** The span of shifts when the request gives no `to`. */
export const DEFAULT_SHIFT_DAYS = 14;

/**
 * Who is on call, and the shifts of a span, from the configuration in force. Each request first
 * catches up with the stored version (one cheap query), so it sees a save made a moment ago on
 * another replica.
 */
@Injectable()
export class SchedulesService {
  constructor(private readonly config: NotifierConfig) {}

  async onCall(request: WhoIsOnCallV1): Promise<OnCallV1> {
    const { snapshot, schedule } = await this.schedule(request.scheduleId);
    const at = request.at ? new Date(request.at) : new Date();
    const found = whoIsOnCall(schedule, at);
    return {
      scheduleId: request.scheduleId,
      at: at.toISOString(),
      timeZone: schedule.timeZone,
      users: found.users.map((id) => {
        const name = snapshot.users.get(id)?.name;
        return name === undefined ? { id } : { id, name };
      }),
      source: found.source,
      ...(found.layer !== undefined && { layer: found.layer }),
      ...(found.shiftStart && { shiftStart: found.shiftStart.toISOString() }),
      ...(found.shiftEnd && { shiftEnd: found.shiftEnd.toISOString() }),
    };
  }

  async shifts(request: ScheduleShiftsV1): Promise<ScheduleShiftsReplyV1> {
    const from = request.from ? new Date(request.from) : new Date();
    const to = request.to ? new Date(request.to) : new Date(from.getTime() + DEFAULT_SHIFT_DAYS * DAY_MS);
    if (to.getTime() <= from.getTime()) {
      throw new InvalidMessageError([{ field: 'to', reason: `must be after from (${from.toISOString()})` }]);
    }
    if (to.getTime() - from.getTime() > NOTIFIER_CONFIG_LIMITS.maxShiftDays * DAY_MS) {
      throw new InvalidMessageError([
        { field: 'to', reason: `must be at most ${NOTIFIER_CONFIG_LIMITS.maxShiftDays} days after from` },
      ]);
    }
    const { snapshot, schedule } = await this.schedule(request.scheduleId);
    const shifts = scheduleShifts(schedule, from, to);
    const userNames: Record<string, string> = {};
    for (const shift of shifts) {
      const name = snapshot.users.get(shift.userId)?.name;
      if (name !== undefined) userNames[shift.userId] = name;
    }
    return {
      scheduleId: request.scheduleId,
      from: from.toISOString(),
      to: to.toISOString(),
      timeZone: schedule.timeZone,
      shifts: shifts.map((shift) => ({
        userId: shift.userId,
        ...(userNames[shift.userId] !== undefined && { userName: userNames[shift.userId] }),
        start: shift.start.toISOString(),
        end: shift.end.toISOString(),
        source: shift.source,
      })),
      ...(request.format === 'ical' && {
        ical: toICalendar({ scheduleId: request.scheduleId, name: schedule.name, shifts, userNames }),
      }),
    };
  }

  private async schedule(id: string): Promise<{ snapshot: NotifierConfigSnapshot; schedule: Schedule }> {
    const snapshot = await this.config.fresh();
    const schedule = snapshot.schedules.get(id);
    if (!schedule) throw new RpcFailure('not_found', `schedule "${id}" not found`);
    return { snapshot, schedule };
  }
}
