import {
  activeSpan,
  FieldError,
  formatMatcher,
  isActive,
  isRecord,
  LabelSet,
  labelValue,
  Matcher,
  matchesAll,
  nextChange,
  Parsed,
  parseMatchers,
  parseTimeWindow,
  show,
  TimeWindow,
} from '@vigil/matching';
import { readDuration } from '../config-syntax/duration';
import { join } from '../config-syntax/field-paths';
import { idReason, isNotifierId } from '../escalation/escalation-policy';

const SECOND_MS = 1000;
const DAY_MS = 24 * 60 * 60 * SECOND_MS;

export const ROUTING_LIMITS = {
  /** How many `routes` levels may nest below the root. */
  maxDepth: 10,
  /** Every route in the tree, the root included. */
  maxRoutes: 500,
  maxGroupBy: 20,
  maxTimeIntervals: 100,
  maxWindowsPerInterval: 50,
  maxGroupWaitMs: DAY_MS,
  maxGroupIntervalMs: 7 * DAY_MS,
  maxRepeatIntervalMs: 30 * DAY_MS,
} as const;

/** Alertmanager's defaults, which the root passes down unless it sets its own. */
export const ROUTE_DEFAULTS = {
  groupBy: 'all',
  groupWaitMs: 30 * SECOND_MS,
  groupIntervalMs: 5 * 60 * SECOND_MS,
  repeatIntervalMs: 4 * 60 * 60 * SECOND_MS,
} as const;

/** A route with what it inherits filled in. */
export interface Route {
  /** `name` when given, else the path of matcher sets from the root (`{}/{team="db"}`). */
  readonly id: string;
  readonly name?: string;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly policy: string;
  /** 'all' is Alertmanager's `...`: every subject is a group of its own. */
  readonly groupBy: readonly string[] | 'all';
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  /** Not inherited, as in Alertmanager. */
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly routes: readonly Route[];
}

export interface RoutingTree {
  readonly root: Route;
  readonly timeIntervals: ReadonlyMap<string, readonly TimeWindow[]>;
}

/** Where a subject goes: one matching route's settings. */
export interface RouteMatch {
  routeId: string;
  policyId: string;
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
}

export type NotificationWindow =
  | { allowed: true }
  | { allowed: false; until: Date | undefined; reason: 'muted' | 'inactive'; interval: string };

// ---------------------------------------------------------------------------------------------
// Parsing

const ROUTE_KEYS = [
  'name',
  'matchers',
  'policy',
  'continue',
  'groupBy',
  'groupWait',
  'groupInterval',
  'repeatInterval',
  'muteTimeIntervals',
  'activeTimeIntervals',
  'routes',
];
const ROOT_KEYS = [...ROUTE_KEYS, 'timeIntervals'];
/** Alertmanager's spellings, which an operator pasting a configuration will try first. */
const ALERTMANAGER_NAMES: Record<string, string> = {
  receiver: 'policy',
  match: 'matchers',
  match_re: 'matchers',
  group_by: 'groupBy',
  group_wait: 'groupWait',
  group_interval: 'groupInterval',
  repeat_interval: 'repeatInterval',
  mute_time_intervals: 'muteTimeIntervals',
  active_time_intervals: 'activeTimeIntervals',
  time_intervals: 'timeIntervals',
};
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const ALL = '...';

interface Inherited {
  readonly policy: string;
  readonly groupBy: readonly string[] | 'all';
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
}

interface Context {
  readonly errors: FieldError[];
  readonly intervals: ReadonlySet<string>;
  /** Route name → path of the route that has it. */
  readonly names: Map<string, string>;
  count: number;
}

function reportUnknown(
  input: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  ctx: Context,
) {
  for (const key of Object.keys(input)) {
    if (allowed.includes(key)) continue;
    const ours = Object.hasOwn(ALERTMANAGER_NAMES, key) ? ALERTMANAGER_NAMES[key] : undefined;
    ctx.errors.push({
      field: join(path, key),
      reason: ours
        ? `unknown field: Alertmanager's ${key} is ${ours} here`
        : `unknown field (allowed: ${allowed.join(', ')})`,
    });
  }
}

function parseGroupBy(
  value: unknown,
  field: string,
  errors: FieldError[],
): readonly string[] | 'all' | undefined {
  if (!Array.isArray(value)) {
    errors.push({ field, reason: 'must be a list of label names, or ["..."] for one page per subject' });
    return undefined;
  }
  if (value.includes(ALL)) {
    if (value.length === 1) return 'all';
    errors.push({ field, reason: '"..." groups by every label and must be the only entry' });
    return undefined;
  }
  if (value.length > ROUTING_LIMITS.maxGroupBy) {
    errors.push({ field, reason: `has ${value.length} entries; at most ${ROUTING_LIMITS.maxGroupBy}` });
    return undefined;
  }
  const names: string[] = [];
  const before = errors.length;
  value.forEach((item: unknown, index) => {
    if (typeof item !== 'string' || !FIELD_NAME.test(item))
      errors.push({
        field: `${field}[${index}]`,
        reason: `${show(item)} is not a label name (letters, digits, _ and .)`,
      });
    else if (names.includes(item)) errors.push({ field: `${field}[${index}]`, reason: 'listed twice' });
    else names.push(item);
  });
  return errors.length === before ? names : undefined;
}

function parseIntervalNames(value: unknown, field: string, ctx: Context): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    ctx.errors.push({ field, reason: 'must be a list of names from timeIntervals' });
    return [];
  }
  const names: string[] = [];
  value.forEach((item: unknown, index) => {
    const at = `${field}[${index}]`;
    if (typeof item !== 'string') ctx.errors.push({ field: at, reason: `${show(item)} is not a name` });
    else if (!ctx.intervals.has(item)) {
      const known = [...ctx.intervals].join(', ') || 'none';
      ctx.errors.push({ field: at, reason: `${show(item)} is not in timeIntervals (known: ${known})` });
    } else if (names.includes(item)) ctx.errors.push({ field: at, reason: 'listed twice' });
    else names.push(item);
  });
  return names;
}

function timing(
  value: unknown,
  field: string,
  fallback: number,
  min: number,
  max: number,
  errors: FieldError[],
): number {
  if (value === undefined) return fallback;
  return readDuration(value, field, errors, { min, max }) ?? fallback;
}

/** Alertmanager's matcher-set key, sorted so that reordering a route's matchers keeps its id. */
function matcherSetKey(matchers: readonly Matcher[]): string {
  return `{${matchers.map(formatMatcher).sort().join(',')}}`;
}

function parseRoute(
  input: unknown,
  path: string,
  inherited: Inherited,
  depth: number,
  key: (own: string) => string,
  ctx: Context,
): Route {
  const { errors } = ctx;
  const isRoot = depth === 0;
  ctx.count += 1;
  const record = isRecord(input) ? input : {};
  if (!isRecord(input)) errors.push({ field: path, reason: 'a route must be an object' });
  reportUnknown(record, isRoot ? ROOT_KEYS : ROUTE_KEYS, path, ctx);

  let name: string | undefined;
  if (record.name !== undefined) {
    if (!isNotifierId(record.name)) errors.push({ field: join(path, 'name'), reason: idReason(record.name) });
    else {
      const holder = ctx.names.get(record.name);
      if (holder !== undefined)
        errors.push({
          field: join(path, 'name'),
          reason: `${show(record.name)} is already the name of ${holder || 'the root route'}`,
        });
      else ctx.names.set(record.name, path);
      name = record.name;
    }
  }

  let matchers: Matcher[] = [];
  if (isRoot && record.matchers !== undefined) {
    errors.push({
      field: 'matchers',
      reason: 'the root route takes every subject: put matchers on a route under routes',
    });
  } else if (record.matchers !== undefined) {
    const parsed = parseMatchers(record.matchers, join(path, 'matchers'));
    if (parsed.ok) matchers = parsed.matchers;
    else errors.push(...parsed.errors);
  }

  let carryOn = false;
  if (isRoot && record.continue !== undefined) {
    errors.push({ field: 'continue', reason: 'the root route has no siblings to continue to' });
  } else if (record.continue !== undefined) {
    if (typeof record.continue === 'boolean') carryOn = record.continue;
    else errors.push({ field: join(path, 'continue'), reason: 'must be true or false' });
  }

  let policy = inherited.policy;
  if (record.policy === undefined) {
    if (isRoot)
      errors.push({
        field: 'policy',
        reason: 'is required on the root route: the escalation policy for subjects no other route takes',
      });
  } else if (!isNotifierId(record.policy)) {
    errors.push({ field: join(path, 'policy'), reason: `escalation policy ${idReason(record.policy)}` });
  } else policy = record.policy;

  const groupBy =
    record.groupBy === undefined
      ? inherited.groupBy
      : (parseGroupBy(record.groupBy, join(path, 'groupBy'), errors) ?? inherited.groupBy);
  const groupWaitMs = timing(
    record.groupWait,
    join(path, 'groupWait'),
    inherited.groupWaitMs,
    0,
    ROUTING_LIMITS.maxGroupWaitMs,
    errors,
  );
  const groupIntervalMs = timing(
    record.groupInterval,
    join(path, 'groupInterval'),
    inherited.groupIntervalMs,
    SECOND_MS,
    ROUTING_LIMITS.maxGroupIntervalMs,
    errors,
  );
  const repeatIntervalMs = timing(
    record.repeatInterval,
    join(path, 'repeatInterval'),
    inherited.repeatIntervalMs,
    SECOND_MS,
    ROUTING_LIMITS.maxRepeatIntervalMs,
    errors,
  );

  let muteTimeIntervals: string[] = [];
  let activeTimeIntervals: string[] = [];
  for (const field of ['muteTimeIntervals', 'activeTimeIntervals'] as const) {
    if (isRoot && record[field] !== undefined) {
      errors.push({
        field,
        reason:
          'the root route cannot have time intervals (as in Alertmanager): set them on a route under routes',
      });
      continue;
    }
    const names = parseIntervalNames(record[field], join(path, field), ctx);
    if (field === 'muteTimeIntervals') muteTimeIntervals = names;
    else activeTimeIntervals = names;
  }

  const ownKey = key(matcherSetKey(matchers));
  const passed: Inherited = { policy, groupBy, groupWaitMs, groupIntervalMs, repeatIntervalMs };
  const routes: Route[] = [];
  const routesField = join(path, 'routes');
  if (record.routes !== undefined && !Array.isArray(record.routes)) {
    errors.push({ field: routesField, reason: 'must be a list of routes' });
  } else if (Array.isArray(record.routes) && record.routes.length > 0) {
    if (depth >= ROUTING_LIMITS.maxDepth) {
      errors.push({
        field: routesField,
        reason: `routes nest at most ${ROUTING_LIMITS.maxDepth} levels below the root`,
      });
    } else {
      const seen = new Map<string, number>();
      // Identical siblings are told apart by their turn among themselves, not by their position,
      // so inserting an unrelated sibling does not rename every route after it.
      const childKey = (own: string) => {
        const base = `${ownKey}/${own}`;
        const turn = seen.get(base) ?? 0;
        seen.set(base, turn + 1);
        return turn === 0 ? base : `${base}#${turn}`;
      };
      for (const [index, child] of (record.routes as unknown[]).entries()) {
        const childPath = `${routesField}[${index}]`;
        if (ctx.count >= ROUTING_LIMITS.maxRoutes) {
          errors.push({ field: childPath, reason: `a tree has at most ${ROUTING_LIMITS.maxRoutes} routes` });
          break;
        }
        routes.push(parseRoute(child, childPath, passed, depth + 1, childKey, ctx));
      }
    }
  }

  return {
    id: name ?? ownKey,
    ...(name !== undefined && { name }),
    matchers,
    continue: carryOn,
    ...passed,
    muteTimeIntervals,
    activeTimeIntervals,
    routes,
  };
}

function parseTimeIntervals(value: unknown, errors: FieldError[]): Map<string, TimeWindow[]> {
  const intervals = new Map<string, TimeWindow[]>();
  if (value === undefined) return intervals;
  if (!isRecord(value)) {
    errors.push({ field: 'timeIntervals', reason: 'must be an object of named lists of time windows' });
    return intervals;
  }
  const entries = Object.entries(value);
  if (entries.length > ROUTING_LIMITS.maxTimeIntervals) {
    errors.push({
      field: 'timeIntervals',
      reason: `has ${entries.length} intervals; at most ${ROUTING_LIMITS.maxTimeIntervals}`,
    });
    return intervals;
  }
  for (const [name, list] of entries) {
    const field = `timeIntervals.${name}`;
    if (!isNotifierId(name)) {
      errors.push({ field, reason: `interval name ${idReason(name)}` });
      continue;
    }
    // Declared even when faulty, so that routes naming it are not reported as well.
    const windows: TimeWindow[] = [];
    intervals.set(name, windows);
    if (!Array.isArray(list) || list.length === 0) {
      errors.push({ field, reason: 'must list at least one time window' });
      continue;
    }
    if (list.length > ROUTING_LIMITS.maxWindowsPerInterval) {
      errors.push({
        field,
        reason: `has ${list.length} windows; at most ${ROUTING_LIMITS.maxWindowsPerInterval}`,
      });
      continue;
    }
    list.forEach((item: unknown, index) => {
      const parsed = parseTimeWindow(item);
      if (parsed.ok) windows.push(parsed.window);
      else
        for (const error of parsed.errors)
          errors.push({ field: join(`${field}[${index}]`, error.field), reason: error.reason });
    });
  }
  return intervals;
}

/**
 * Checks a `routing_tree` body (Alertmanager's route tree in camelCase) and fills in what routes
 * inherit; every fault names its path (`routes[0].routes[2].matchers[1]`, `timeIntervals.nights[0].rrule`).
 * Policies are checked as ids only: whether they exist is for the caller (`treeReferences`).
 */
export function parseRoutingTree(input: unknown): Parsed<'tree', RoutingTree> {
  if (!isRecord(input))
    return { ok: false, errors: [{ field: '', reason: 'a routing tree must be an object' }] };
  const errors: FieldError[] = [];
  const timeIntervals = parseTimeIntervals(input.timeIntervals, errors);
  const ctx: Context = { errors, intervals: new Set(timeIntervals.keys()), names: new Map(), count: 0 };
  const root = parseRoute(
    input,
    '',
    {
      policy: '',
      groupBy: ROUTE_DEFAULTS.groupBy,
      groupWaitMs: ROUTE_DEFAULTS.groupWaitMs,
      groupIntervalMs: ROUTE_DEFAULTS.groupIntervalMs,
      repeatIntervalMs: ROUTE_DEFAULTS.repeatIntervalMs,
    },
    0,
    (own) => own,
    ctx,
  );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, tree: { root, timeIntervals } };
}

function* walk(route: Route): Generator<Route> {
  yield route;
  for (const child of route.routes) yield* walk(child);
}

/** The escalation policies a tree names, sorted, without repeats: each must exist. */
export function treeReferences(tree: RoutingTree): { policies: string[] } {
  return { policies: [...new Set([...walk(tree.root)].map((route) => route.policy))].sort() };
}

// ---------------------------------------------------------------------------------------------
// Matching

function matchOf(route: Route): RouteMatch {
  return {
    routeId: route.id,
    policyId: route.policy,
    groupBy: route.groupBy === 'all' ? 'all' : [...route.groupBy],
    groupWaitMs: route.groupWaitMs,
    groupIntervalMs: route.groupIntervalMs,
    repeatIntervalMs: route.repeatIntervalMs,
    muteTimeIntervals: [...route.muteTimeIntervals],
    activeTimeIntervals: [...route.activeTimeIntervals],
  };
}

/** Alertmanager's Route.Match. */
function matching(route: Route, fields: LabelSet): Route[] {
  if (!matchesAll(route.matchers, fields)) return [];
  const found: Route[] = [];
  for (const child of route.routes) {
    const below = matching(child, fields);
    found.push(...below);
    if (below.length > 0 && !child.continue) break;
  }
  return found.length > 0 ? found : [route];
}

/**
 * The routes that take a subject, in tree order: depth-first, the first matching child stops its
 * later siblings unless it has `continue`, and a route none of whose children match takes the
 * subject itself. Never empty: the root takes everything.
 */
export function routeFor(tree: RoutingTree, fields: LabelSet): RouteMatch[] {
  return matching(tree.root, fields).map(matchOf);
}

/** A route's settings by id, e.g. for a page opened under a tree that has since changed. */
export function routeById(tree: RoutingTree, routeId: string): RouteMatch | undefined {
  for (const route of walk(tree.root)) if (route.id === routeId) return matchOf(route);
  return undefined;
}

/**
 * The page a subject belongs to under a route. Names are sorted so that `[service, node]` and
 * `[node, service]` make the same key; a missing label is "", as in Alertmanager's group labels.
 */
export function pageGroupOf(
  match: Pick<RouteMatch, 'groupBy'>,
  fields: LabelSet,
  subjectKey: string,
): { key: string; labels: Record<string, string> } {
  if (match.groupBy === 'all') return { key: subjectKey, labels: {} };
  const labels: Record<string, string> = {};
  for (const name of [...match.groupBy].sort()) labels[name] = labelValue(fields, name);
  const key = Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',');
  return { key, labels };
}

// ---------------------------------------------------------------------------------------------
// Time intervals

/** Bounds the walk over mute windows that hand over to one another. */
const MAX_HANDOVERS = 50;

function windowsOf(tree: RoutingTree, name: string): readonly TimeWindow[] {
  return tree.timeIntervals.get(name) ?? [];
}

function latestMuteEnd(
  tree: RoutingTree,
  names: readonly string[],
  at: Date,
): { interval: string; end: Date } | undefined {
  let latest: { interval: string; end: Date } | undefined;
  for (const interval of names) {
    for (const window of windowsOf(tree, interval)) {
      const span = activeSpan(window, at);
      if (span && (!latest || span.end.getTime() > latest.end.getTime()))
        latest = { interval, end: span.end };
    }
  }
  return latest;
}

/**
 * Whether a route may notify at `at`, and if not, until when: the end of muting (followed through
 * mute windows that take over where another ends) or the next start of an active interval.
 * Muting is reported first; `until` is when to look again, not a promise that sending is allowed
 * then (an active interval may still be closed). Undefined `until`: it never changes again.
 */
export function notificationWindow(
  tree: RoutingTree,
  match: Pick<RouteMatch, 'muteTimeIntervals' | 'activeTimeIntervals'>,
  at: Date,
): NotificationWindow {
  const muted = latestMuteEnd(tree, match.muteTimeIntervals, at);
  if (muted) {
    let until = muted.end;
    for (let step = 0; step < MAX_HANDOVERS; step++) {
      const further = latestMuteEnd(tree, match.muteTimeIntervals, until);
      if (!further || further.end.getTime() <= until.getTime()) break;
      until = further.end;
    }
    return { allowed: false, until, reason: 'muted', interval: muted.interval };
  }
  if (match.activeTimeIntervals.length === 0) return { allowed: true };
  let soonest: { interval: string; start: Date } | undefined;
  for (const interval of match.activeTimeIntervals) {
    for (const window of windowsOf(tree, interval)) {
      if (isActive(window, at)) return { allowed: true };
      const start = nextChange(window, at);
      if (start && (!soonest || start.getTime() < soonest.start.getTime())) soonest = { interval, start };
    }
  }
  return {
    allowed: false,
    until: soonest?.start,
    reason: 'inactive',
    interval: soonest?.interval ?? match.activeTimeIntervals[0],
  };
}
