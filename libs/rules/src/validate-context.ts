import {
  CATEGORIES,
  IMPACTS,
  normalizeSeverity,
  PRIORITIES,
  SEVERITY_ALLOWED_DESCRIPTION,
} from '@vigil/contracts';
import type { Dialect } from './dialect';
import type { EqualsValue, OneOrMany } from './document';
import type { Problems } from './errors';
import type { FieldRef } from './fields';
import { childPath } from './source';

/** What the validators of one rule set share; one per validation, so names and uuids do not leak. */
export interface ValidationContext {
  readonly dialect: Dialect;
  readonly problems: Problems;
  /** Filled by the schedules, which are validated first, so that schedule selectors can check names. */
  readonly scheduleNames: Set<string>;
  /** Each uuid seen so far (rules, groups and schedules alike), with the path that first used it. */
  readonly uuids: Map<string, string>;
}

export function validationContext(dialect: Dialect, problems: Problems): ValidationContext {
  return { dialect, problems, scheduleNames: new Set(), uuids: new Map() };
}

export type Raw = Record<string, unknown>;

export function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** User-chosen keys (field names, label keys) are defined, never assigned: `__proto__` stays a key. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function oneOrMany<T>(
  context: ValidationContext,
  raw: unknown,
  path: string,
  one: (value: unknown, path: string) => T | undefined,
): OneOrMany<T> | undefined {
  if (!Array.isArray(raw)) return one(raw, path);
  if (raw.length === 0) {
    context.problems.error(path, 'expected at least one value');
    return undefined;
  }
  const values = raw.map((item, index) => one(item, childPath(path, index)));
  const present = values.filter((v): v is T => v !== undefined);
  return present.length === values.length ? present : undefined;
}

/**
 * A uuid identifies a rule in `matchedRules`, so it must be unique. Panther never checked (its own
 * sample files repeat `uuid: 1234`): an import keeps the first and drops repeats with a warning,
 * those rules then get generated ids.
 */
export function uniqueUuid(context: ValidationContext, raw: unknown, path: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = context.dialect.panther && typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || text.trim() === '') {
    context.problems.error(path, `uuid must be a non-empty string (got ${describe(raw)})`);
    return undefined;
  }
  const previous = context.uuids.get(text);
  if (previous !== undefined) {
    if (context.dialect.panther) {
      context.problems.warn(
        path,
        `uuid "${text}" is already used at ${previous}; dropped, the rule gets a generated id`,
      );
      return undefined;
    }
    context.problems.error(path, `uuid "${text}" is already used at ${previous}`);
    return text;
  }
  context.uuids.set(text, path);
  return text;
}

/** Values of severity, category, impact and priority are checked where they are written. */
export function enumValueOk(
  context: ValidationContext,
  field: FieldRef,
  value: EqualsValue,
  path: string,
): boolean {
  if (field.kind !== 'core') return true;
  const check = (allowed: readonly string[], label: string) => {
    if (typeof value === 'string' && allowed.includes(value)) return true;
    context.problems.error(path, `${label} must be one of ${allowed.join(', ')} (got ${describe(value)})`);
    return false;
  };
  if (field.name === 'severity') {
    if (normalizeSeverity(value) !== undefined) return true;
    context.problems.error(
      path,
      `severity must be one of ${SEVERITY_ALLOWED_DESCRIPTION} (got ${describe(value)})`,
    );
    return false;
  }
  if (field.name === 'category') return check(CATEGORIES, 'category');
  if (field.name === 'impact') return check(IMPACTS, 'impact');
  if (field.name === 'priority') return check(PRIORITIES, 'priority');
  return true;
}
