import { NOTIFIER_ID_PATTERN } from '@vigil/contracts';
import { FieldError, Parsed, isRecord, show } from '@vigil/matching';
import { readDuration } from '../config-syntax/duration';
import { unknownFields } from '../config-syntax/field-paths';

export const ESCALATION_TARGET_TYPES = ['user', 'schedule', 'channel'] as const;
export type EscalationTargetType = (typeof ESCALATION_TARGET_TYPES)[number];

export const ESCALATION_LIMITS = {
  maxLevels: 10,
  maxTargetsPerLevel: 20,
  maxRepeat: 9,
  minDelayMs: 1000,
  maxDelayMs: 7 * 24 * 60 * 60_000,
  nameLength: 200,
  descriptionLength: 2000,
} as const;

export interface EscalationTarget {
  readonly type: EscalationTargetType;
  readonly id: string;
}

export interface EscalationLevel {
  /** How long after this level is notified the next one is, unless someone acknowledged. */
  readonly delayMs: number;
  readonly targets: readonly EscalationTarget[];
}

export interface EscalationPolicy {
  readonly name: string;
  readonly description?: string;
  readonly levels: readonly EscalationLevel[];
  /** How many more times the whole list runs after the last level (PagerDuty's num_loops). */
  readonly repeat: number;
}

/** Where a page stands in its policy: `round` 0 is the first pass through the levels. */
export interface EscalationStep {
  readonly round: number;
  readonly level: number;
}

const POLICY_KEYS = ['name', 'description', 'levels', 'repeat'];
const LEVEL_KEYS = ['delay', 'targets'];
const TARGET_KEYS = ['type', 'id'];

export function isNotifierId(value: unknown): value is string {
  return typeof value === 'string' && NOTIFIER_ID_PATTERN.test(value);
}

export function idReason(value: unknown): string {
  return `${show(value)} is not an id (1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit)`;
}

function parseTarget(input: unknown, path: string, errors: FieldError[]): EscalationTarget | undefined {
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object {type, id}' });
    return undefined;
  }
  unknownFields(input, TARGET_KEYS, path, errors);
  const { type, id } = input;
  const typeOk = ESCALATION_TARGET_TYPES.includes(type as EscalationTargetType);
  if (!typeOk)
    errors.push({
      field: `${path}.type`,
      reason: `${show(type)} is not one of ${ESCALATION_TARGET_TYPES.join(', ')}`,
    });
  if (!isNotifierId(id)) errors.push({ field: `${path}.id`, reason: idReason(id) });
  return typeOk && isNotifierId(id) ? { type: type as EscalationTargetType, id } : undefined;
}

function parseLevel(input: unknown, path: string, errors: FieldError[]): EscalationLevel | undefined {
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object {delay, targets}' });
    return undefined;
  }
  const before = errors.length;
  unknownFields(input, LEVEL_KEYS, path, errors);
  const delayMs =
    input.delay === undefined
      ? (errors.push({ field: `${path}.delay`, reason: 'is required: a duration like "5m"' }), undefined)
      : readDuration(input.delay, `${path}.delay`, errors, {
          min: ESCALATION_LIMITS.minDelayMs,
          max: ESCALATION_LIMITS.maxDelayMs,
        });
  const targets: EscalationTarget[] = [];
  if (!Array.isArray(input.targets) || input.targets.length === 0) {
    errors.push({ field: `${path}.targets`, reason: 'must list at least one target {type, id}' });
  } else if (input.targets.length > ESCALATION_LIMITS.maxTargetsPerLevel) {
    errors.push({
      field: `${path}.targets`,
      reason: `has ${input.targets.length} targets; at most ${ESCALATION_LIMITS.maxTargetsPerLevel}`,
    });
  } else {
    input.targets.forEach((item: unknown, index) => {
      const target = parseTarget(item, `${path}.targets[${index}]`, errors);
      if (!target) return;
      const twin = targets.findIndex((seen) => seen.type === target.type && seen.id === target.id);
      if (twin >= 0) {
        errors.push({
          field: `${path}.targets[${index}]`,
          reason: `${target.type} ${show(target.id)} is already a target of this level`,
        });
      }
      targets.push(target);
    });
  }
  return errors.length === before && delayMs !== undefined ? { delayMs, targets } : undefined;
}

function optionalText(
  value: unknown,
  field: string,
  max: number,
  errors: FieldError[],
  required: boolean,
): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || (required && value.trim() === '')) {
    errors.push({ field, reason: required ? 'must be a non-empty string' : 'must be a string' });
    return undefined;
  }
  if (value.length > max) {
    errors.push({ field, reason: `is ${value.length} characters long; at most ${max}` });
    return undefined;
  }
  return value;
}

/** Checks an `escalation_policy` body; every fault names its field (`levels[1].targets[0].type`). */
export function parseEscalationPolicy(input: unknown): Parsed<'policy', EscalationPolicy> {
  if (!isRecord(input))
    return { ok: false, errors: [{ field: '', reason: 'an escalation policy must be an object' }] };
  const errors: FieldError[] = [];
  unknownFields(input, POLICY_KEYS, '', errors);
  const name = optionalText(input.name, 'name', ESCALATION_LIMITS.nameLength, errors, true);
  const description = optionalText(
    input.description,
    'description',
    ESCALATION_LIMITS.descriptionLength,
    errors,
    false,
  );
  const levels: EscalationLevel[] = [];
  if (!Array.isArray(input.levels) || input.levels.length === 0) {
    errors.push({ field: 'levels', reason: 'must list at least one level {delay, targets}' });
  } else if (input.levels.length > ESCALATION_LIMITS.maxLevels) {
    errors.push({
      field: 'levels',
      reason: `has ${input.levels.length} levels; at most ${ESCALATION_LIMITS.maxLevels}`,
    });
  } else {
    input.levels.forEach((item: unknown, index) => {
      const level = parseLevel(item, `levels[${index}]`, errors);
      if (level) levels.push(level);
    });
  }
  const repeat = input.repeat ?? 0;
  if (
    !Number.isInteger(repeat) ||
    (repeat as number) < 0 ||
    (repeat as number) > ESCALATION_LIMITS.maxRepeat
  ) {
    errors.push({
      field: 'repeat',
      reason: `${show(repeat)} is not a whole number from 0 to ${ESCALATION_LIMITS.maxRepeat}`,
    });
  }
  if (errors.length > 0 || name === undefined) return { ok: false, errors };
  return {
    ok: true,
    policy: { name, ...(description !== undefined && { description }), levels, repeat: repeat as number },
  };
}

function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The ids a policy points at, each list sorted and without repeats: what must exist for it to page anyone. */
export function policyReferences(policy: EscalationPolicy): {
  users: string[];
  schedules: string[];
  channels: string[];
} {
  const targets = policy.levels.flatMap((level) => level.targets);
  const of = (type: EscalationTargetType) =>
    distinctSorted(targets.filter((target) => target.type === type).map((target) => target.id));
  return { users: of('user'), schedules: of('schedule'), channels: of('channel') };
}

export function firstEscalation(): { round: number; level: number } {
  return { round: 0, level: 0 };
}

/**
 * The step after `current`, due `delayMs` after `current` was notified (the current level's delay,
 * as in PagerDuty, so the last level's delay is the wait before the list starts over). Undefined
 * once the last level of the last round has been notified, or when `current` is not in the policy.
 */
export function nextEscalation(
  policy: EscalationPolicy,
  current: { round: number; level: number },
): { round: number; level: number; delayMs: number } | undefined {
  const { round, level } = current;
  const here = policy.levels[level];
  if (!here || !Number.isInteger(level) || !Number.isInteger(round) || round < 0 || round > policy.repeat)
    return undefined;
  if (level + 1 < policy.levels.length) return { round, level: level + 1, delayMs: here.delayMs };
  if (round < policy.repeat) return { round: round + 1, level: 0, delayMs: here.delayMs };
  return undefined;
}
