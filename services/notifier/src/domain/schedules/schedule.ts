import { DateTime, IANAZone } from 'luxon';
import { FieldError, instantOf, isRecord, Parsed, show, wallOf } from '@vigil/matching';

/**
 * The notifier's id syntax (NOTIFIER_ID_PATTERN in @vigil/contracts), repeated here because a
 * domain library does not depend on the contracts.
 */
export const SCHEDULE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const SCHEDULE_DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type ScheduleDay = (typeof SCHEDULE_DAYS)[number];

/** Limits that keep one evaluation cheap; far beyond any real rotation. */
export const SCHEDULE_LIMITS = {
  layers: 50,
  usersPerLayer: 200,
  restrictionsPerLayer: 50,
  overrides: 2_000,
  /** A custom rotation's shift: at most a year. */
  maxLengthHours: 8_784,
  nameLength: 200,
} as const;

export interface DailyRestriction {
  readonly type: 'daily';
  /** HH:MM wall-clock in the schedule's zone; `end` at or before `start` runs past midnight. */
  readonly start: string;
  readonly end: string;
}

export interface WeeklyRestriction {
  readonly type: 'weekly';
  readonly startDay: ScheduleDay;
  readonly startTime: string;
  /** An end at or before the start in the week (friday 17:00 → monday 09:00) runs over the weekend. */
  readonly endDay: ScheduleDay;
  readonly endTime: string;
}

export type ScheduleRestriction = DailyRestriction | WeeklyRestriction;

export type ScheduleRotation =
  /** `handoffTime` is resolved: the given one, else the layer start's wall-clock time. */
  | { readonly type: 'daily' | 'weekly'; readonly handoffTime: string }
  | { readonly type: 'custom'; readonly lengthHours: number };

export interface ScheduleLayer {
  /** Unique in the schedule; the `source` of its shifts. Defaults to `layer-<n>` (1-based). */
  readonly name: string;
  readonly start: Date;
  readonly end?: Date;
  readonly rotation: ScheduleRotation;
  /** User ids in turn order (a user may appear more than once). */
  readonly users: readonly string[];
  /** Empty: the layer covers all the time between start and end. */
  readonly restrictions: readonly ScheduleRestriction[];
}

export interface ScheduleOverride {
  readonly id?: string;
  readonly user: string;
  readonly start: Date;
  readonly end: Date;
}

export interface Schedule {
  readonly name: string;
  readonly timeZone: string;
  readonly layers: readonly ScheduleLayer[];
  readonly overrides: readonly ScheduleOverride[];
}

// ---------------------------------------------------------------------------------------------

const SCHEDULE_KEYS = ['name', 'timeZone', 'layers', 'overrides'];
const LAYER_KEYS = ['name', 'start', 'end', 'rotation', 'users', 'restrictions'];
const ROTATION_KEYS = ['type', 'handoffTime', 'lengthHours'];
const DAILY_KEYS = ['type', 'start', 'end'];
const WEEKLY_KEYS = ['type', 'startDay', 'startTime', 'endDay', 'endTime'];
const OVERRIDE_KEYS = ['id', 'user', 'start', 'end'];

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Minutes after midnight of a validated HH:MM. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function unknownKeys(
  input: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  errors: FieldError[],
): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key))
      errors.push({ field: join(path, key), reason: `unknown field (allowed: ${allowed.join(', ')})` });
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function parseName(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || value.length > SCHEDULE_LIMITS.nameLength) {
    errors.push({
      field,
      reason: `must be a non-empty string of at most ${SCHEDULE_LIMITS.nameLength} characters`,
    });
    return undefined;
  }
  return value;
}

function parseId(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (typeof value !== 'string' || !SCHEDULE_ID_PATTERN.test(value)) {
    errors.push({ field, reason: `${show(value)} is not an id (${String(SCHEDULE_ID_PATTERN)})` });
    return undefined;
  }
  return value;
}

function parseHhMm(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (typeof value !== 'string' || !HH_MM.test(value)) {
    errors.push({ field, reason: `${show(value)} is not a time of day HH:MM (00:00–23:59)` });
    return undefined;
  }
  return value;
}

/**
 * A date-time: an RFC 3339 instant with an offset, or a wall-clock `YYYY-MM-DDTHH:MM[:SS]` in the
 * schedule's zone. A wall-clock time in a spring-forward gap moves forward by the gap and one that
 * occurs twice is the first of the two (RFC 5545 §3.3.5, as in libs/matching's time windows).
 * `zone` is undefined when the schedule's zone is invalid: the syntax is still checked.
 */
function parseDateTime(
  value: unknown,
  field: string,
  zone: IANAZone | undefined,
  errors: FieldError[],
): Date | undefined {
  if (typeof value === 'string') {
    const wall = WALL_CLOCK.exec(value);
    if (wall) {
      const [year, month, day, hour, minute, second] = wall.slice(1).map((part) => Number(part ?? 0));
      const floating = Date.UTC(year, month - 1, day, hour, minute, second);
      const back = new Date(floating);
      if (
        back.getUTCFullYear() !== year ||
        back.getUTCMonth() !== month - 1 ||
        back.getUTCDate() !== day ||
        hour > 23 ||
        minute > 59 ||
        second > 59
      ) {
        errors.push({ field, reason: `${show(value)} is not a valid date and time` });
        return undefined;
      }
      return zone ? new Date(instantOf(floating, zone)) : undefined;
    }
    if (RFC3339.test(value)) {
      const parsed = DateTime.fromISO(value);
      if (parsed.isValid) return parsed.toJSDate();
      errors.push({
        field,
        reason: `${show(value)} is not a valid date-time (${parsed.invalidExplanation ?? 'invalid'})`,
      });
      return undefined;
    }
  }
  errors.push({
    field,
    reason: `${show(value)} is not a date-time: give YYYY-MM-DDTHH:MM in the schedule's zone or an RFC 3339 instant with an offset`,
  });
  return undefined;
}

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

function parseArray(
  value: unknown,
  field: string,
  min: number,
  max: number,
  errors: FieldError[],
): unknown[] | undefined {
  if (!isList(value)) {
    errors.push({ field, reason: `must be a list${min > 0 ? ` of at least ${min}` : ''}` });
    return undefined;
  }
  if (value.length < min || value.length > max) {
    errors.push({ field, reason: `must have ${min} to ${max} entries (has ${value.length})` });
    return undefined;
  }
  return value;
}

function parseDay(value: unknown, field: string, errors: FieldError[]): ScheduleDay | undefined {
  const day = SCHEDULE_DAYS.find((d) => d === value);
  if (!day) errors.push({ field, reason: `${show(value)} is not a day (${SCHEDULE_DAYS.join(', ')})` });
  return day;
}

function parseRestriction(
  input: unknown,
  path: string,
  errors: FieldError[],
): ScheduleRestriction | undefined {
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object {type: daily|weekly, ...}' });
    return undefined;
  }
  if (input.type === 'daily') {
    unknownKeys(input, DAILY_KEYS, path, errors);
    const start = parseHhMm(input.start, `${path}.start`, errors);
    const end = parseHhMm(input.end, `${path}.end`, errors);
    if (start === undefined || end === undefined) return undefined;
    if (start === end) {
      errors.push({
        field: `${path}.end`,
        reason: 'must differ from start (leave the restriction out for all day)',
      });
      return undefined;
    }
    return { type: 'daily', start, end };
  }
  if (input.type === 'weekly') {
    unknownKeys(input, WEEKLY_KEYS, path, errors);
    const startDay = parseDay(input.startDay, `${path}.startDay`, errors);
    const startTime = parseHhMm(input.startTime, `${path}.startTime`, errors);
    const endDay = parseDay(input.endDay, `${path}.endDay`, errors);
    const endTime = parseHhMm(input.endTime, `${path}.endTime`, errors);
    if (!startDay || startTime === undefined || !endDay || endTime === undefined) return undefined;
    if (startDay === endDay && startTime === endTime) {
      errors.push({ field: `${path}.endTime`, reason: 'the span is empty: end equals start' });
      return undefined;
    }
    return { type: 'weekly', startDay, startTime, endDay, endTime };
  }
  errors.push({
    field: `${path}.type`,
    reason: `${show(input.type)} is not a restriction type (daily, weekly)`,
  });
  return undefined;
}

function parseRotation(
  input: unknown,
  path: string,
  start: Date | undefined,
  zone: IANAZone | undefined,
  errors: FieldError[],
): ScheduleRotation | undefined {
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object {type: daily|weekly|custom, ...}' });
    return undefined;
  }
  unknownKeys(input, ROTATION_KEYS, path, errors);
  const { type } = input;
  if (type === 'daily' || type === 'weekly') {
    if (input.lengthHours !== undefined)
      errors.push({ field: `${path}.lengthHours`, reason: 'applies only to a custom rotation' });
    if (input.handoffTime !== undefined) {
      const handoffTime = parseHhMm(input.handoffTime, `${path}.handoffTime`, errors);
      return handoffTime === undefined ? undefined : { type, handoffTime };
    }
    if (!start || !zone) return undefined;
    const wall = new Date(wallOf(start.getTime(), zone));
    const pad = (n: number) => String(n).padStart(2, '0');
    return { type, handoffTime: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}` };
  }
  if (type === 'custom') {
    if (input.handoffTime !== undefined)
      errors.push({
        field: `${path}.handoffTime`,
        reason: 'a custom rotation hands off every lengthHours from the layer start; move start instead',
      });
    const { lengthHours } = input;
    if (
      typeof lengthHours !== 'number' ||
      !Number.isFinite(lengthHours) ||
      lengthHours <= 0 ||
      lengthHours > SCHEDULE_LIMITS.maxLengthHours ||
      !Number.isInteger(Math.round(lengthHours * 60 * 1e6) / 1e6)
    ) {
      errors.push({
        field: `${path}.lengthHours`,
        reason: `must be a number of hours (whole minutes) above 0 and at most ${SCHEDULE_LIMITS.maxLengthHours}`,
      });
      return undefined;
    }
    return { type, lengthHours };
  }
  errors.push({
    field: `${path}.type`,
    reason: `${show(type)} is not a rotation type (daily, weekly, custom)`,
  });
  return undefined;
}

function parseLayer(
  input: unknown,
  index: number,
  zone: IANAZone | undefined,
  errors: FieldError[],
): ScheduleLayer | undefined {
  const path = `layers[${index}]`;
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object' });
    return undefined;
  }
  const before = errors.length;
  unknownKeys(input, LAYER_KEYS, path, errors);
  const name =
    input.name === undefined ? `layer-${index + 1}` : parseName(input.name, `${path}.name`, errors);
  if (name === 'override')
    errors.push({ field: `${path}.name`, reason: '"override" is reserved for the source of overrides' });
  const start = parseDateTime(input.start, `${path}.start`, zone, errors);
  const end = input.end === undefined ? undefined : parseDateTime(input.end, `${path}.end`, zone, errors);
  if (start && end && end.getTime() <= start.getTime())
    errors.push({ field: `${path}.end`, reason: 'must be after start' });
  const rotation = parseRotation(input.rotation, `${path}.rotation`, start, zone, errors);
  const users: string[] = [];
  const userList = parseArray(input.users, `${path}.users`, 1, SCHEDULE_LIMITS.usersPerLayer, errors);
  userList?.forEach((user, i) => {
    const id = parseId(user, `${path}.users[${i}]`, errors);
    if (id !== undefined) users.push(id);
  });
  const restrictions: ScheduleRestriction[] = [];
  if (input.restrictions !== undefined) {
    const list = parseArray(
      input.restrictions,
      `${path}.restrictions`,
      0,
      SCHEDULE_LIMITS.restrictionsPerLayer,
      errors,
    );
    list?.forEach((item, i) => {
      const restriction = parseRestriction(item, `${path}.restrictions[${i}]`, errors);
      if (restriction) restrictions.push(restriction);
    });
  }
  if (errors.length > before || name === undefined || !start || !rotation) return undefined;
  return { name, start, ...(end && { end }), rotation, users, restrictions };
}

function parseOverride(
  input: unknown,
  index: number,
  zone: IANAZone | undefined,
  errors: FieldError[],
): ScheduleOverride | undefined {
  const path = `overrides[${index}]`;
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object {user, start, end}' });
    return undefined;
  }
  const before = errors.length;
  unknownKeys(input, OVERRIDE_KEYS, path, errors);
  const id = input.id === undefined ? undefined : parseId(input.id, `${path}.id`, errors);
  const user = parseId(input.user, `${path}.user`, errors);
  const start = parseDateTime(input.start, `${path}.start`, zone, errors);
  const end = parseDateTime(input.end, `${path}.end`, zone, errors);
  if (start && end && end.getTime() <= start.getTime())
    errors.push({ field: `${path}.end`, reason: 'must be after start' });
  if (errors.length > before || user === undefined || !start || !end) return undefined;
  return { ...(id !== undefined && { id }), user, start, end };
}

/**
 * Reads an on-call schedule body (a notifier `schedule` config object) from untrusted JSON,
 * naming the field of every fault (`layers[0].rotation.handoffTime`, `overrides[1].end`).
 * Unknown fields are faults, so that a misspelt option is never silently ignored.
 */
export function parseSchedule(input: unknown): Parsed<'schedule', Schedule> {
  if (!isRecord(input)) return { ok: false, errors: [{ field: '', reason: 'a schedule must be an object' }] };
  const errors: FieldError[] = [];
  unknownKeys(input, SCHEDULE_KEYS, '', errors);
  const name = parseName(input.name, 'name', errors);
  let zone: IANAZone | undefined;
  if (typeof input.timeZone !== 'string') {
    errors.push({ field: 'timeZone', reason: 'is required: an IANA time zone such as Europe/Berlin' });
  } else if (!IANAZone.isValidZone(input.timeZone)) {
    errors.push({ field: 'timeZone', reason: `unknown time zone ${show(input.timeZone)}` });
  } else {
    zone = IANAZone.create(input.timeZone);
  }

  const layers: ScheduleLayer[] = [];
  const names = new Set<unknown>();
  parseArray(input.layers, 'layers', 1, SCHEDULE_LIMITS.layers, errors)?.forEach((item, i) => {
    const layer = parseLayer(item, i, zone, errors);
    const name = isRecord(item) ? (item.name ?? `layer-${i + 1}`) : undefined;
    if (typeof name === 'string' && names.has(name))
      errors.push({ field: `layers[${i}].name`, reason: `another layer is already named ${show(name)}` });
    names.add(name);
    if (layer) layers.push(layer);
  });

  const overrides: ScheduleOverride[] = [];
  if (input.overrides !== undefined) {
    parseArray(input.overrides, 'overrides', 0, SCHEDULE_LIMITS.overrides, errors)?.forEach((item, i) => {
      const override = parseOverride(item, i, zone, errors);
      if (!override) return;
      if (override.id !== undefined && overrides.some((other) => other.id === override.id))
        errors.push({
          field: `overrides[${i}].id`,
          reason: `another override has the id ${show(override.id)}`,
        });
      overrides.push(override);
    });
  }

  if (errors.length > 0 || name === undefined || !zone) return { ok: false, errors };
  return { ok: true, schedule: { name, timeZone: zone.name, layers, overrides } };
}

/** Every user id the schedule names (layers and overrides), each once, in first-mention order. */
export function scheduleUserIds(schedule: Schedule): string[] {
  const ids = new Set<string>();
  for (const layer of schedule.layers) for (const user of layer.users) ids.add(user);
  for (const override of schedule.overrides) ids.add(override.user);
  return [...ids];
}
