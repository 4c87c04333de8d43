import { IANAZone } from 'luxon';
import type { Dialect } from './dialect';
import { ScheduleDocument, Weekday, WEEKDAYS } from './document';
import type { Problems } from './errors';
import { childPath } from './source';
import { describe, isObject, uniqueUuid, ValidationContext } from './validate-context';

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

export class ScheduleValidator {
  private readonly dialect: Dialect;
  private readonly problems: Problems;

  constructor(private readonly context: ValidationContext) {
    this.dialect = context.dialect;
    this.problems = context.problems;
  }

  schedules(raw: unknown, path: string): ScheduleDocument[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.problems.error(path, `schedules must be a list (got ${describe(raw)})`);
      return [];
    }
    const schedules: ScheduleDocument[] = [];
    raw.forEach((item, index) => {
      const schedule = this.schedule(item, childPath(path, index));
      if (schedule) schedules.push(schedule);
    });
    return schedules;
  }

  private schedule(raw: unknown, path: string): ScheduleDocument | undefined {
    if (!isObject(raw)) {
      this.problems.error(path, `a schedule is {name, start, end, days} (got ${describe(raw)})`);
      return undefined;
    }
    for (const key of Object.keys(raw)) {
      if (!['name', 'uuid', 'start', 'end', 'days', 'timezone'].includes(key)) {
        this.problems.error(
          childPath(path, key),
          `unknown key "${key}" in schedule (name, uuid, start, end, days, timezone)`,
          'key',
        );
      }
    }
    let ok = true;
    const name = raw.name;
    if (typeof name !== 'string' || name.trim() === '') {
      this.problems.error(childPath(path, 'name'), `a schedule needs a name (got ${describe(name)})`);
      ok = false;
    } else if (this.context.scheduleNames.has(name)) {
      this.problems.error(childPath(path, 'name'), `schedule "${name}" is defined twice`);
    } else {
      this.context.scheduleNames.add(name);
    }
    const time = (key: 'start' | 'end'): string | undefined => {
      const value = raw[key];
      if (typeof value === 'string' && HHMM.test(value) && value <= '24:00') return value;
      this.problems.error(
        childPath(path, key),
        `${key} must be a time HH:MM from 00:00 to 24:00 (got ${describe(value)})`,
      );
      return undefined;
    };
    const start = time('start');
    const end = time('end');
    if (start !== undefined && start === end) {
      this.problems.error(childPath(path, 'end'), 'start and end must differ');
      ok = false;
    }
    const days: Weekday[] = [];
    if (!Array.isArray(raw.days) || raw.days.length === 0) {
      this.problems.error(
        childPath(path, 'days'),
        `days must be a list of weekdays, e.g. [Monday, Friday] (got ${describe(raw.days)})`,
      );
      ok = false;
    } else {
      raw.days.forEach((day, index) => {
        const canonical = WEEKDAYS.find(
          (w) => typeof day === 'string' && w.toLowerCase() === day.toLowerCase(),
        );
        if (!canonical)
          this.problems.error(
            childPath(childPath(path, 'days'), index),
            `"${String(day)}" is not a weekday (${WEEKDAYS.join(', ')})`,
          );
        else if (!days.includes(canonical)) days.push(canonical);
      });
    }
    const timezone = raw.timezone ?? this.dialect.defaultTimezone;
    if (timezone !== undefined && (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone))) {
      this.problems.error(
        childPath(path, 'timezone'),
        `timezone must be an IANA zone such as Europe/London (got ${describe(timezone)})`,
      );
      ok = false;
    }
    const uuid = uniqueUuid(this.context, raw.uuid, childPath(path, 'uuid'));
    if (!ok || start === undefined || end === undefined || typeof name !== 'string') return undefined;
    const schedule: ScheduleDocument = { name, start, end, days };
    if (uuid) schedule.uuid = uuid;
    if (typeof timezone === 'string') schedule.timezone = timezone;
    return schedule;
  }
}
