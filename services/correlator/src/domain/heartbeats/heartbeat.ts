import {
  CronWindow,
  FieldError,
  LabelSet,
  Matcher,
  matchesAll,
  parseMatchers,
  parseTimeWindow,
  RRuleWindow,
} from '@vigil/matching';

/** The longest interval a heartbeat may have (a week), as the request contract says. */
export const MAX_HEARTBEAT_INTERVAL_SECONDS = 7 * 24 * 3600;

/**
 * A parsed heartbeat: events matching every matcher are expected at least every `intervalMs`,
 * only while `schedule` is active when there is one.
 */
export interface Heartbeat {
  readonly matchers: readonly Matcher[];
  readonly intervalMs: number;
  readonly schedule?: RRuleWindow | CronWindow;
}

export type ParsedHeartbeat = { ok: true; heartbeat: Heartbeat } | { ok: false; errors: FieldError[] };

/** A libs/matching field path under the request's field: `rrule` → `schedule.rrule`, `` → `schedule`. */
function under(parent: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: e.field ? `${parent}.${e.field}` : parent, reason: e.reason }));
}

/**
 * Reads a heartbeat's definition from untrusted input (a request, or a stored row), naming the
 * field of every fault: `matchers[1]`, `intervalSeconds`, `schedule.rrule`, `schedule.durationMinutes`.
 * A schedule must be recurring (a one-off window would leave the heartbeat dead after it), and each
 * of its windows must last longer than the interval: the clock restarts when a window opens, so in a
 * shorter window a miss could never be noticed.
 */
export function parseHeartbeat(input: {
  matchers: unknown;
  intervalSeconds: unknown;
  schedule?: unknown;
}): ParsedHeartbeat {
  const errors: FieldError[] = [];
  const matchers = parseMatchers(input.matchers, 'matchers');
  if (!matchers.ok) errors.push(...matchers.errors);

  const { intervalSeconds } = input;
  const intervalOk =
    typeof intervalSeconds === 'number' &&
    Number.isInteger(intervalSeconds) &&
    intervalSeconds >= 1 &&
    intervalSeconds <= MAX_HEARTBEAT_INTERVAL_SECONDS;
  if (!intervalOk)
    errors.push({
      field: 'intervalSeconds',
      reason: `must be a whole number of seconds from 1 to ${MAX_HEARTBEAT_INTERVAL_SECONDS} (7 days)`,
    });

  let schedule: RRuleWindow | CronWindow | undefined;
  if (input.schedule !== undefined && input.schedule !== null) {
    const parsed = parseTimeWindow(input.schedule);
    if (!parsed.ok) {
      errors.push(...under('schedule', parsed.errors));
    } else if (parsed.window.kind === 'once') {
      errors.push({
        field: 'schedule',
        reason:
          'must be recurring ({rrule|cron, durationMinutes, timezone}); a one-off window would end the heartbeat',
      });
    } else {
      schedule = parsed.window;
      if (intervalOk && schedule.durationMinutes * 60 <= intervalSeconds)
        errors.push({
          field: 'schedule.durationMinutes',
          reason: `must be longer than the interval (${intervalSeconds} s): the interval restarts when a window opens, so a miss could never be noticed inside a shorter one`,
        });
    }
  }
  if (errors.length > 0 || !matchers.ok || !intervalOk) return { ok: false, errors };
  return {
    ok: true,
    heartbeat: {
      matchers: matchers.matchers,
      intervalMs: intervalSeconds * 1000,
      ...(schedule && { schedule }),
    },
  };
}

/** What a heartbeat's matchers see of an event (see `heartbeatFields`). */
export interface HeartbeatEvent {
  source: string;
  node: string;
  type: string;
  category?: string;
  service?: string;
  environment?: string;
  labels: Readonly<Record<string, string>>;
  origin: { via: string; from?: string };
}

/**
 * The record a heartbeat's matchers are evaluated against: each label as `labels.<name>` and under
 * its plain name, then `source`, `node`, `type`, `service`, `environment`, `category` and `subject`,
 * which win over a label of the same name. `subject` is the NATS subject a NATS producer published
 * on, without the deployment's `subjectPrefix` (so a definition means the same in every deployment);
 * absent (`""` to a matcher) for other channels.
 */
export function heartbeatFields(event: HeartbeatEvent, subjectPrefix = ''): LabelSet {
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.labels ?? {})) {
    fields[name] = value;
    fields[`labels.${name}`] = value;
  }
  fields.source = event.source;
  fields.node = event.node;
  fields.type = event.type;
  fields.service = event.service;
  fields.environment = event.environment;
  fields.category = event.category;
  const from = event.origin.via === 'nats' ? event.origin.from : undefined;
  const head = subjectPrefix ? `${subjectPrefix}.` : '';
  fields.subject = from !== undefined && head && from.startsWith(head) ? from.slice(head.length) : from;
  return fields;
}

export function heartbeatMatches(heartbeat: Heartbeat, fields: LabelSet): boolean {
  return matchesAll(heartbeat.matchers, fields);
}
