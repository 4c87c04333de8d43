import { IANAZone, Zone } from 'luxon';
import { instantOf, wallOf } from '@vigil/matching';
import {
  SCHEDULE_DAYS,
  Schedule,
  ScheduleLayer,
  ScheduleOverride,
  ScheduleRestriction,
  minutesOf,
} from './schedule';

export interface OnCall {
  /** Who is on call: one user, or none. */
  users: string[];
  source: 'override' | 'layer' | 'none';
  /** The layer's name when `source` is `layer`. */
  layer?: string;
  /**
   * The span of the winning override, or of the layer's own shift (the user's turn, cut by the
   * layer's start/end and by the restriction span containing the instant). A later layer or an
   * override can interrupt that span: `scheduleShifts` gives the final schedule.
   */
  shiftStart?: Date;
  shiftEnd?: Date;
}

export interface Shift {
  userId: string;
  start: Date;
  end: Date;
  /** The layer's name, or `override`. */
  source: string;
}

/** The longest span `scheduleShifts` expands at once. */
export const MAX_SHIFT_SPAN_DAYS = 366;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/**
 * How far around an instant the restriction spans containing it are looked for. A span lasts at
 * most a week plus a DST change, so this only cuts short restrictions that chain into continuous
 * cover for longer (e.g. overlapping daily ones): the reported shift bounds are then this far out.
 */
const RESTRICTION_REACH_MS = 8 * DAY_MS;

interface Compiled {
  readonly zone: Zone;
  readonly toInstant: ToInstant;
  readonly rotations: readonly Rotation[];
}

interface NumericSpan {
  start: number;
  end: number;
}

interface Turn extends NumericSpan {
  index: number;
}

/** Floating wall-clock ms → instant in the schedule's zone (wall-clock.ts `instantOf`). */
type ToInstant = (wall: number) => number;

const MAX_CACHED_INSTANTS = 50_000;

/**
 * `instantOf` asks the zone for up to four offsets (Intl, several µs each), and the same hand-off
 * and restriction wall times are converted again on every query, so each schedule keeps a cache.
 */
function cachedInstantOf(zone: Zone): ToInstant {
  const cache = new Map<number, number>();
  return (wall) => {
    let instant = cache.get(wall);
    if (instant === undefined) {
      if (cache.size >= MAX_CACHED_INSTANTS) cache.clear();
      instant = instantOf(wall, zone);
      cache.set(wall, instant);
    }
    return instant;
  };
}

// ---------------------------------------------------------------------------------------------
// Rotation: turns and hand-offs

/**
 * Where each layer's turns change. Daily and weekly hand-offs are wall-clock times in the schedule's
 * zone on the layer start's calendar date plus whole days (1 or 7) — hand-off k is at floating
 * `anchorDay + k·period + handoffTime` — so a daily shift across a DST change lasts 23 or 25 hours.
 * A hand-off time in a spring-forward gap moves forward by the gap (02:30 → 03:30 in Europe/Berlin)
 * and one that occurs twice is the first of the two (RFC 5545 §3.3.5, wall-clock.ts `instantOf`).
 * The first turn runs from the layer start to the first hand-off after it: a start at the
 * hand-off time gives a full first shift; an earlier start on the same day gives a short one.
 * Custom rotations hand off every `lengthHours` of elapsed time from the start.
 */
interface Rotation {
  /** The turn in force at t ≥ layer start (unbounded by the layer's end). */
  turnAt(t: number): Turn;
  /** Hand-off instants strictly inside (from, to). */
  handoffsBetween(from: number, to: number): number[];
}

function rotationOf(layer: ScheduleLayer, zone: Zone, toInstant: ToInstant): Rotation {
  const start = layer.start.getTime();
  const { rotation } = layer;
  if (rotation.type === 'custom') {
    const length = Math.round(rotation.lengthHours * HOUR_MS);
    return {
      turnAt(t) {
        const index = Math.floor((t - start) / length);
        return { index, start: start + index * length, end: start + (index + 1) * length };
      },
      handoffsBetween(from, to) {
        const found: number[] = [];
        for (let k = Math.floor((from - start) / length) + 1; start + k * length < to; k++)
          if (start + k * length > from) found.push(start + k * length);
        return found;
      },
    };
  }
  const period = rotation.type === 'daily' ? DAY_MS : WEEK_MS;
  const anchorWall =
    Math.floor(wallOf(start, zone) / DAY_MS) * DAY_MS + minutesOf(rotation.handoffTime) * MINUTE_MS;
  const handoff = (k: number) => toInstant(anchorWall + k * period);
  /** The last hand-off k at or before t. */
  const indexAt = (t: number) => {
    let k = Math.floor((wallOf(t, zone) - anchorWall) / period);
    while (handoff(k + 1) <= t) k++;
    while (handoff(k) > t) k--;
    return k;
  };
  const first = indexAt(start);
  return {
    turnAt(t) {
      const k = indexAt(t);
      return { index: k - first, start: Math.max(start, handoff(k)), end: handoff(k + 1) };
    },
    handoffsBetween(from, to) {
      const found: number[] = [];
      for (let k = indexAt(from) + 1; handoff(k) < to; k++) if (handoff(k) > from) found.push(handoff(k));
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Restrictions

/**
 * The restriction's occurrences overlapping [from, to), as instants. Each is a wall-clock span in
 * the schedule's zone converted like a hand-off (`instantOf`), so that the membership test and the
 * shift boundaries are the same instants.
 */
function restrictionSpans(
  restriction: ScheduleRestriction,
  zone: Zone,
  toInstant: ToInstant,
  from: number,
  to: number,
): NumericSpan[] {
  const spans: NumericSpan[] = [];
  // Floating days from two before `from` (an occurrence may have started the day before, and a
  // weekly one up to a week before) to one after `to`.
  const firstDay = Math.floor(wallOf(from, zone) / DAY_MS) - 2;
  const lastDay = Math.floor(wallOf(to, zone) / DAY_MS) + 1;
  let startWall: (day: number) => number | undefined;
  let length: number;
  if (restriction.type === 'daily') {
    const startMin = minutesOf(restriction.start);
    const endMin = minutesOf(restriction.end);
    length = ((endMin - startMin + 24 * 60) % (24 * 60)) * MINUTE_MS;
    startWall = (day) => day * DAY_MS + startMin * MINUTE_MS;
  } else {
    const startOffset =
      SCHEDULE_DAYS.indexOf(restriction.startDay) * DAY_MS + minutesOf(restriction.startTime) * MINUTE_MS;
    const endOffset =
      SCHEDULE_DAYS.indexOf(restriction.endDay) * DAY_MS + minutesOf(restriction.endTime) * MINUTE_MS;
    length = (endOffset - startOffset + WEEK_MS) % WEEK_MS;
    // Floating day 0 (1970-01-01) was a Thursday: Monday-based index 3.
    startWall = (day) => ((((day + 3) % 7) + 7) % 7 === 0 ? day * DAY_MS + startOffset : undefined);
  }
  const from0 = restriction.type === 'weekly' ? firstDay - 7 : firstDay;
  for (let day = from0; day <= lastDay; day++) {
    const wall = startWall(day);
    if (wall === undefined) continue;
    const span = { start: toInstant(wall), end: toInstant(wall + length) };
    if (span.end > span.start && span.end > from && span.start < to) spans.push(span);
  }
  return spans;
}

/** The union of the layer's restriction spans overlapping [from, to), merged and sorted. */
function coverSpans(layer: ScheduleLayer, compiled: Compiled, from: number, to: number): NumericSpan[] {
  const spans = layer.restrictions
    .flatMap((restriction) => restrictionSpans(restriction, compiled.zone, compiled.toInstant, from, to))
    .sort((a, b) => a.start - b.start);
  const merged: NumericSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Queries

const compiledSchedules = new WeakMap<Schedule, Compiled>();

function compile(schedule: Schedule): Compiled {
  let compiled = compiledSchedules.get(schedule);
  if (!compiled) {
    const zone = IANAZone.create(schedule.timeZone);
    const toInstant = cachedInstantOf(zone);
    compiled = {
      zone,
      toInstant,
      rotations: schedule.layers.map((layer) => rotationOf(layer, zone, toInstant)),
    };
    compiledSchedules.set(schedule, compiled);
  }
  return compiled;
}

/**
 * The override in force at t. When several overlap, the one that started last wins (a short swap
 * placed inside a longer cover takes precedence while it lasts); on equal starts, the later-listed.
 */
function overrideAt(schedule: Schedule, t: number): ScheduleOverride | undefined {
  let winner: ScheduleOverride | undefined;
  for (const override of schedule.overrides) {
    if (override.start.getTime() <= t && t < override.end.getTime()) {
      if (!winner || override.start.getTime() >= winner.start.getTime()) winner = override;
    }
  }
  return winner;
}

/**
 * The layer's own shift containing t, if the layer covers t. With `bounds` false the restriction
 * spans are only looked for next to t, which is enough to decide coverage (scheduleShifts, which
 * finds the bounds itself, asks at every boundary).
 */
function layerShiftAt(
  layer: ScheduleLayer,
  i: number,
  compiled: Compiled,
  t: number,
  bounds: boolean,
): Turn | undefined {
  const layerStart = layer.start.getTime();
  const layerEnd = layer.end?.getTime() ?? Infinity;
  if (t < layerStart || t >= layerEnd) return undefined;
  const turn = compiled.rotations[i].turnAt(t);
  let start = Math.max(turn.start, layerStart);
  let end = Math.min(turn.end, layerEnd);
  if (layer.restrictions.length > 0) {
    // The shift is cut to the turn anyway, so restriction spans beyond it do not matter.
    const from = bounds ? Math.max(start, t - RESTRICTION_REACH_MS) : t;
    const to = bounds ? Math.min(end, t + RESTRICTION_REACH_MS) : t + 1;
    const cover = coverSpans(layer, compiled, from, to).find((span) => span.start <= t && t < span.end);
    if (!cover) return undefined;
    start = Math.max(start, cover.start);
    end = Math.min(end, cover.end);
  }
  return { index: turn.index, start, end };
}

function userOf(layer: ScheduleLayer, turn: number): string {
  const n = layer.users.length;
  return layer.users[((turn % n) + n) % n];
}

/**
 * Who is on call at `at`: an override in force wins (the latest-starting one if several overlap);
 * otherwise the highest-index layer with coverage at `at` (later layers take precedence, as in
 * PagerDuty's final schedule), whose user is `users[turn % users.length]`, `turn` counting the
 * hand-offs since the layer start. Restrictions only mask time: the rotation keeps turning
 * through the masked hours.
 */
export function whoIsOnCall(schedule: Schedule, at: Date): OnCall {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('whoIsOnCall: invalid date');
  return evaluate(schedule, t, true);
}

function evaluate(schedule: Schedule, t: number, bounds: boolean): OnCall {
  const override = overrideAt(schedule, t);
  if (override)
    return { users: [override.user], source: 'override', shiftStart: override.start, shiftEnd: override.end };
  const compiled = compile(schedule);
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i];
    const shift = layerShiftAt(layer, i, compiled, t, bounds);
    if (shift)
      return {
        users: [userOf(layer, shift.index)],
        source: 'layer',
        layer: layer.name,
        shiftStart: new Date(shift.start),
        shiftEnd: new Date(shift.end),
      };
  }
  return { users: [], source: 'none' };
}

/**
 * Every instant in (from, to) at which `whoIsOnCall` may change: override and layer bounds,
 * hand-offs and restriction bounds. Between two of them every input of `whoIsOnCall` is constant.
 */
function boundaries(schedule: Schedule, compiled: Compiled, from: number, to: number): number[] {
  const found = new Set<number>([from]);
  const add = (t: number | undefined) => {
    if (t !== undefined && t > from && t < to) found.add(t);
  };
  for (const override of schedule.overrides) {
    add(override.start.getTime());
    add(override.end.getTime());
  }
  schedule.layers.forEach((layer, i) => {
    const layerStart = layer.start.getTime();
    const layerEnd = layer.end?.getTime() ?? Infinity;
    add(layerStart);
    add(layer.end?.getTime());
    const lo = Math.max(from, layerStart);
    const hi = Math.min(to, layerEnd);
    if (lo >= hi) return;
    for (const t of compiled.rotations[i].handoffsBetween(lo, hi)) add(t);
    for (const span of coverSpans(layer, compiled, lo, hi)) {
      add(span.start);
      add(span.end);
    }
  });
  return [...found].sort((a, b) => a - b);
}

/**
 * The final schedule over [from, to): contiguous shifts, clipped to the range, with adjacent
 * pieces of the same user and source merged and uncovered time left out. Agrees with `whoIsOnCall`
 * at every instant. Throws RangeError for an invalid range or one longer than MAX_SHIFT_SPAN_DAYS.
 */
export function scheduleShifts(schedule: Schedule, from: Date, to: Date): Shift[] {
  const lo = from.getTime();
  const hi = to.getTime();
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new RangeError('scheduleShifts: invalid date');
  if (hi < lo) throw new RangeError('scheduleShifts: `to` is before `from`');
  if (hi - lo > MAX_SHIFT_SPAN_DAYS * DAY_MS)
    throw new RangeError(`scheduleShifts: at most ${MAX_SHIFT_SPAN_DAYS} days at once`);
  if (hi === lo) return [];
  const compiled = compile(schedule);
  const cuts = boundaries(schedule, compiled, lo, hi);
  const shifts: Shift[] = [];
  cuts.forEach((start, i) => {
    const end = i + 1 < cuts.length ? cuts[i + 1] : hi;
    const onCall = evaluate(schedule, start, false);
    if (onCall.source === 'none') return;
    const userId = onCall.users[0];
    const source = onCall.source === 'override' ? 'override' : (onCall.layer ?? 'layer');
    const last = shifts[shifts.length - 1];
    if (last && last.end.getTime() === start && last.userId === userId && last.source === source) {
      last.end = new Date(end);
    } else {
      shifts.push({ userId, start: new Date(start), end: new Date(end), source });
    }
  });
  return shifts;
}
