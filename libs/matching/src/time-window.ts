import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone, Zone } from 'luxon';
import { RRule } from 'rrule';
import { FieldError, Parsed, isRecord } from './field-errors';
import { rruleProblems } from './rrule-text';
import { instantOf, wallOf } from './wall-clock';

export const MAX_DURATION_MINUTES = 31 * 24 * 60;

export interface OneOffWindow {
  readonly kind: 'once';
  readonly start: Date;
  readonly end: Date;
}

interface RecurringFields {
  readonly durationMinutes: number;
  readonly timezone: string;
  /** Occurrences starting before `from` or after `until` are dropped. */
  readonly from?: Date;
  readonly until?: Date;
}

export interface RRuleWindow extends RecurringFields {
  readonly kind: 'rrule';
  readonly rrule: string;
}

export interface CronWindow extends RecurringFields {
  readonly kind: 'cron';
  readonly cron: string;
}

export type TimeWindow = OneOffWindow | RRuleWindow | CronWindow;

export interface Span {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/**
 * How far a floating (wall-clock) time and the local time of the instant it becomes can drift
 * apart: the largest offset change (Samoa skipped a whole day in 2011) plus a margin.
 */
const SLACK_MS = 48 * HOUR_MS;
const BATCH_MS = 14 * 24 * HOUR_MS;
/** Bounds on loops that a pathological window (always on, or never again) could otherwise run forever. */
const MAX_BATCHES = 1_000;
const MAX_MERGES = 100;
const MAX_CRON_STEPS = 200_000;
/** A fixed date for checking that a cron expression can occur at all. */
const DEFAULT_ANCHOR_WALL = Date.UTC(2000, 0, 1);

// ---------------------------------------------------------------------------------------------
// Parsing

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const ONCE_KEYS = ['start', 'end'];
const RECURRING_KEYS = ['durationMinutes', 'timezone', 'from', 'until'];

function parseInstant(value: unknown, field: string, errors: FieldError[]): Date | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    errors.push({ field, reason: `${JSON.stringify(value)} is not an RFC 3339 date-time with an offset` });
    return undefined;
  }
  const parsed = DateTime.fromISO(value.replace(' ', 'T'));
  if (!parsed.isValid) {
    errors.push({
      field,
      reason: `${JSON.stringify(value)} is not a valid date-time (${parsed.invalidExplanation ?? 'invalid'})`,
    });
    return undefined;
  }
  return parsed.toJSDate();
}

function unknownKeys(input: Record<string, unknown>, allowed: readonly string[], errors: FieldError[]): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key))
      errors.push({ field: key, reason: `unknown field (allowed: ${allowed.join(', ')})` });
  }
}

function parseOnce(input: Record<string, unknown>, errors: FieldError[]): OneOffWindow | undefined {
  unknownKeys(input, ONCE_KEYS, errors);
  const start = parseInstant(input.start, 'start', errors);
  const end = parseInstant(input.end, 'end', errors);
  if (start && end && end.getTime() <= start.getTime())
    errors.push({ field: 'end', reason: 'must be after start' });
  return start && end ? { kind: 'once', start, end } : undefined;
}

function parseRecurringFields(
  input: Record<string, unknown>,
  errors: FieldError[],
): RecurringFields | undefined {
  const { durationMinutes, timezone } = input;
  if (typeof timezone !== 'string') {
    errors.push({ field: 'timezone', reason: 'is required: an IANA time zone such as Europe/Berlin' });
  } else if (!IANAZone.isValidZone(timezone)) {
    errors.push({ field: 'timezone', reason: `unknown time zone ${JSON.stringify(timezone)}` });
  }
  if (typeof durationMinutes !== 'number' || !Number.isInteger(durationMinutes)) {
    errors.push({ field: 'durationMinutes', reason: 'is required: a whole number of minutes' });
  } else if (durationMinutes <= 0 || durationMinutes > MAX_DURATION_MINUTES) {
    errors.push({
      field: 'durationMinutes',
      reason: `must be more than 0 and at most ${MAX_DURATION_MINUTES} (31 days)`,
    });
  }
  const from = input.from === undefined ? undefined : parseInstant(input.from, 'from', errors);
  const until = input.until === undefined ? undefined : parseInstant(input.until, 'until', errors);
  if (from && until && until.getTime() < from.getTime())
    errors.push({ field: 'until', reason: 'must not be before from' });
  if (errors.length > 0 || typeof timezone !== 'string' || typeof durationMinutes !== 'number')
    return undefined;
  return { durationMinutes, timezone, ...(from && { from }), ...(until && { until }) };
}

function parseCronText(text: string): string | undefined {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5)
    return `has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week)`;
  try {
    CronExpressionParser.parse(text, { tz: 'UTC', currentDate: new Date(DEFAULT_ANCHOR_WALL) }).next();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Reads a window from untrusted input (JSON or YAML), reporting every fault by field. */
export function parseTimeWindow(input: unknown): Parsed<'window', TimeWindow> {
  if (!isRecord(input))
    return { ok: false, errors: [{ field: '', reason: 'a time window must be an object' }] };
  const kinds = [
    ('start' in input || 'end' in input) && 'start/end',
    'rrule' in input && 'rrule',
    'cron' in input && 'cron',
  ].filter((kind): kind is string => kind !== false);
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(' and ');
    return {
      ok: false,
      errors: [{ field: '', reason: `give exactly one of start/end, rrule or cron (found ${found})` }],
    };
  }
  const errors: FieldError[] = [];
  if (kinds[0] === 'start/end') {
    const window = parseOnce(input, errors);
    return window && errors.length === 0 ? { ok: true, window } : { ok: false, errors };
  }
  const kind = kinds[0] === 'rrule' ? 'rrule' : 'cron';
  unknownKeys(input, [kind, ...RECURRING_KEYS], errors);
  const text = input[kind];
  if (typeof text !== 'string') {
    errors.push({ field: kind, reason: 'must be a string' });
  } else if (kind === 'rrule') {
    for (const reason of rruleProblems(text, input.from !== undefined))
      errors.push({ field: 'rrule', reason });
  } else {
    const reason = parseCronText(text);
    if (reason !== undefined) errors.push({ field: 'cron', reason: `bad cron expression: ${reason}` });
  }
  const fields = parseRecurringFields(input, errors);
  if (!fields || typeof text !== 'string' || errors.length > 0) return { ok: false, errors };
  const window: TimeWindow =
    kind === 'rrule' ? { kind, rrule: text.trim(), ...fields } : { kind, cron: text.trim(), ...fields };
  return { ok: true, window };
}

// ---------------------------------------------------------------------------------------------
// Expansion

interface NumericSpan {
  start: number;
  end: number;
}

/** Floating (wall-clock) start times of a recurrence; see wall-clock.ts. */
interface FloatingStarts {
  between(fromWall: number, toWall: number): number[];
  firstAtOrAfter(wall: number): number | undefined;
}

interface Compiled {
  readonly window: TimeWindow;
  readonly zone?: Zone;
  readonly starts?: FloatingStarts;
}

/**
 * Why floating time: the `rrule` package's TZID support converts through the host's local zone
 * and gets occurrences next to a DST change wrong (jkbrzt/rrule#157, #295, #359, #550, #611), and
 * cron-parser's zone handling picks its own answer for nonexistent and repeated times. Both are
 * therefore run in UTC over wall-clock values, where no day is 23 or 25 hours long, and luxon
 * converts each occurrence with RFC 5545's rules (wall-clock.ts `instantOf`).
 */
function rruleStarts(window: RRuleWindow, zone: Zone): FloatingStarts {
  // rrule's own parser is case-sensitive; the text was validated case-insensitively.
  const options = RRule.parseString(window.rrule.toUpperCase().replace(/^RRULE:/, ''));
  const ruleFrom = (anchor: number) => new RRule({ ...options, dtstart: new Date(anchor) });
  if (window.from !== undefined) {
    const rule = ruleFrom(
      DateTime.fromMillis(wallOf(window.from.getTime(), zone), { zone: 'UTC' }).startOf('day').toMillis(),
    );
    return {
      between: (fromWall, toWall) =>
        rule.between(new Date(fromWall), new Date(toWall), true).map((d) => d.getTime()),
      firstAtOrAfter: (wall) => rule.after(new Date(wall), true)?.getTime(),
    };
  }
  // rrule steps from DTSTART on every query, so without `from` the rule is anchored on 1 January of
  // the year before the query rather than in a fixed distant year. That changes no occurrence:
  // INTERVAL is 1 and COUNT absent (rruleProblems), and the parts taken from DTSTART (time 00:00:00,
  // day 1, January) are the same for every 1 January; only a WEEKLY rule without BYDAY would take
  // the anchor's weekday, which rruleProblems refuses.
  const byYear = new Map<number, RRule>();
  const near = (wall: number) => {
    const year = new Date(wall).getUTCFullYear() - 1;
    let rule = byYear.get(year);
    if (!rule) byYear.set(year, (rule = ruleFrom(Date.UTC(year, 0, 1))));
    return rule;
  };
  return {
    between: (fromWall, toWall) =>
      near(fromWall)
        .between(new Date(fromWall), new Date(toWall), true)
        .map((d) => d.getTime()),
    firstAtOrAfter: (wall) => near(wall).after(new Date(wall), true)?.getTime(),
  };
}

function cronStarts(window: CronWindow): FloatingStarts {
  const iterate = (fromWall: number) =>
    CronExpressionParser.parse(window.cron, { tz: 'UTC', currentDate: new Date(fromWall - 1) });
  return {
    between(fromWall, toWall) {
      const found: number[] = [];
      const cron = iterate(fromWall);
      for (let step = 0; step < MAX_CRON_STEPS; step++) {
        const next = cron.next().getTime();
        if (next > toWall) break;
        found.push(next);
      }
      return found;
    },
    firstAtOrAfter: (wall) => iterate(wall).next().getTime(),
  };
}

const compiledWindows = new WeakMap<TimeWindow, Compiled>();

function compile(window: TimeWindow): Compiled {
  const cached = compiledWindows.get(window);
  if (cached) return cached;
  let compiled: Compiled;
  if (window.kind === 'once') {
    compiled = { window };
  } else {
    const zone = IANAZone.create(window.timezone);
    compiled = {
      window,
      zone,
      starts: window.kind === 'rrule' ? rruleStarts(window, zone) : cronStarts(window),
    };
  }
  compiledWindows.set(window, compiled);
  return compiled;
}

/**
 * The end is the start's wall-clock time plus the duration, converted like the start: "22:00 for
 * 6 hours" ends at 04:00 local even on a night that is 5 or 7 hours long. Only when the start was
 * pushed forward by a gap past that end is the duration counted in elapsed time instead.
 */
function spanOf(wallStart: number, window: Exclude<TimeWindow, OneOffWindow>, zone: Zone): NumericSpan {
  const duration = window.durationMinutes * MINUTE_MS;
  const start = instantOf(wallStart, zone);
  const end = instantOf(wallStart + duration, zone);
  return { start, end: end > start ? end : start + duration };
}

function inBounds(window: Exclude<TimeWindow, OneOffWindow>, start: number): boolean {
  return (
    (window.from === undefined || start >= window.from.getTime()) &&
    (window.until === undefined || start <= window.until.getTime())
  );
}

function spansStartingBetween(compiled: Compiled, fromWall: number, toWall: number): NumericSpan[] {
  const { window, zone, starts } = compiled;
  if (window.kind === 'once' || !zone || !starts) return [];
  return starts
    .between(fromWall, toWall)
    .map((wall) => spanOf(wall, window, zone))
    .filter((span) => inBounds(window, span.start));
}

/** Every occurrence with start ≤ t ≤ end (closed at both ends, so that touching occurrences merge). */
function touching(compiled: Compiled, t: number): NumericSpan[] {
  const { window, zone } = compiled;
  if (window.kind === 'once') {
    const span = { start: window.start.getTime(), end: window.end.getTime() };
    return span.start <= t && t <= span.end ? [span] : [];
  }
  if (!zone) return [];
  const wall = wallOf(t, zone);
  return spansStartingBetween(
    compiled,
    wall - window.durationMinutes * MINUTE_MS - SLACK_MS,
    wall + SLACK_MS,
  ).filter((span) => span.start <= t && t <= span.end);
}

function containing(compiled: Compiled, t: number): NumericSpan[] {
  return touching(compiled, t).filter((span) => t < span.end);
}

function nextStart(compiled: Compiled, after: number): number | undefined {
  const { window, zone, starts } = compiled;
  if (window.kind === 'once') return window.start.getTime() > after ? window.start.getTime() : undefined;
  if (!zone || !starts) return undefined;
  const earliest = Math.max(after, window.from?.getTime() ?? after);
  let cursor = wallOf(earliest, zone) - SLACK_MS;
  const lastWall = window.until === undefined ? Infinity : wallOf(window.until.getTime(), zone) + SLACK_MS;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const first = starts.firstAtOrAfter(cursor);
    if (first === undefined || first > lastWall) return undefined;
    const batchEnd = first + BATCH_MS;
    const later = (span: NumericSpan) => span.start > after;
    const found = spansStartingBetween(compiled, first, batchEnd).filter(later);
    if (found.length > 0) {
      const best = Math.min(...found.map((span) => span.start));
      // A gap can move an occurrence forward past a later one; anything that could still come
      // earlier starts within SLACK of the best one's wall-clock time.
      const stragglers = spansStartingBetween(compiled, batchEnd + 1, wallOf(best, zone) + SLACK_MS).filter(
        later,
      );
      return Math.min(best, ...stragglers.map((span) => span.start));
    }
    cursor = batchEnd + 1;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Queries

export function isActive(window: TimeWindow, at: Date): boolean {
  return containing(compile(window), at.getTime()).length > 0;
}

/**
 * The stretch of time around `at` during which the window stays active: the occurrence containing
 * `at`, joined with any occurrences overlapping or touching it (a daily 25-hour window is one long
 * span). Joining stops after MAX_MERGES occurrences each way, so an always-on window reports a
 * bounded span and a timer set for its end simply re-checks.
 */
export function activeSpan(window: TimeWindow, at: Date): Span | undefined {
  const compiled = compile(window);
  const now = containing(compiled, at.getTime());
  if (now.length === 0) return undefined;
  let start = Math.min(...now.map((span) => span.start));
  let end = Math.max(...now.map((span) => span.end));
  for (let step = 0; step < MAX_MERGES; step++) {
    const further = Math.max(end, ...touching(compiled, end).map((span) => span.end));
    if (further === end) break;
    end = further;
  }
  for (let step = 0; step < MAX_MERGES; step++) {
    const earlier = Math.min(start, ...touching(compiled, start).map((span) => span.start));
    if (earlier === start) break;
    start = earlier;
  }
  return { start: new Date(start), end: new Date(end) };
}

/** The first instant after `after` at which `isActive` changes: when a timer must next look at this window. */
export function nextChange(window: TimeWindow, after: Date): Date | undefined {
  const span = activeSpan(window, after);
  if (span) return span.end;
  const start = nextStart(compile(window), after.getTime());
  return start === undefined ? undefined : new Date(start);
}
