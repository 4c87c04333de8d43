import type { Category, Impact, Priority, Severity } from '@vigil/contracts';

/*
 * The rule set as a plain, serialisable value: what `parseRuleSet` returns, what the service stores
 * and edits, and what `compileRuleSet` turns into something fast. It keeps the file's shape (a rule's
 * selectors and actions are its own keys, as in Panther's server.rules.yml) so that serialising it
 * gives back a file a person recognises, and key order — which decides the order actions run in and
 * which `match` supplies `{match.N}` — survives a round trip.
 *
 * Field names in a document are always Vigil's (`type`, `fingerprint`, `labels.x`); Panther's names
 * are translated by `parsePantherRules` and back by `exportPantherRules`.
 */

/** A value of `equals`: compared by text, or by rank for severity. */
export type EqualsValue = string | number | boolean;

/** Either one value or a list of them, any of which may match (OR). */
export type OneOrMany<T> = T | T[];

export interface ScheduleSelector {
  name: string;
}

/**
 * The conditions of a rule or group. Every selector present must hold (AND); a list of values within
 * one selector matches when any value does (OR).
 */
export interface SelectorSet {
  /** Field → pattern: a plain string is a literal substring; `/re/flags` is a regular expression. */
  match?: Record<string, OneOrMany<string>>;
  equals?: Record<string, OneOrMany<EqualsValue>>;
  starts_with?: Record<string, OneOrMany<string>>;
  ends_with?: Record<string, OneOrMany<string>>;
  field_exists?: OneOrMany<string>;
  field_missing?: OneOrMany<string>;
  less_than?: Record<string, number | string>;
  greater_than?: Record<string, number | string>;
  schedule?: ScheduleSelector;
  /** Label key → exact value, `/re/flags`, or a list of either. */
  labels?: Record<string, OneOrMany<string>>;
  /** `true`: always (Panther). A list: every selector set in it must hold. */
  all?: true | SelectorSet[];
  /** Never matches (Panther). */
  none?: true;
  any?: SelectorSet[];
  not?: SelectorSet;
}

export interface ReplaceAction {
  field: string;
  /** A literal (first occurrence only, as String.replace does) or `/re/flags` (`g` for all). */
  this: string;
  /** The replacement; `$1`, `$&` and the other String.replace patterns apply. */
  with: string;
}

export interface LookupAction {
  table: string;
  /** A template giving the key to look up. */
  key: string;
  /** Event field → the table column to copy into it. */
  set: Record<string, string>;
}

/** What a rule does when it matches, run in the order the keys are written. */
export interface ActionSet {
  /** Field → template (or a number, for severity on Panther's 0–5 scale). */
  set?: Record<string, string | number>;
  replace?: OneOrMany<ReplaceAction>;
  discard?: true;
  stop?: true;
  stop_rule_set?: true;
  severity?: Severity;
  category?: Category;
  priority?: Priority;
  impact?: Impact;
  owner?: string;
  team?: string;
  service?: string;
  environment?: string;
  add_labels?: Record<string, string>;
  remove_labels?: string[];
  fingerprint?: string;
  lookup?: OneOrMany<LookupAction>;
}

export interface RuleDocument extends SelectorSet, ActionSet {
  name: string;
  uuid?: string;
  /** A disabled rule: kept in the file, never run ("Disabled" in Panther's console). */
  skip?: true;
  description?: string;
}

export interface GroupDocument {
  name: string;
  uuid?: string;
  select: SelectorSet;
  rules: RuleDocument[];
}

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleDocument {
  name: string;
  uuid?: string;
  /** HH:MM; the window is (start, end], as Panther compares minutes. */
  start: string;
  end: string;
  days: Weekday[];
  /** IANA zone; Panther used the server's zone, Vigil defaults to UTC. */
  timezone?: string;
}

export interface RuleSetDocument {
  globals: RuleDocument[];
  /** In evaluation order (the file's `groups._order`). */
  groups: GroupDocument[];
  schedules: ScheduleDocument[];
  /** Kept as written and otherwise ignored (Panther stores `save_date` here). */
  metadata?: Record<string, unknown>;
}

export const SELECTOR_KEYS = [
  'match',
  'equals',
  'starts_with',
  'ends_with',
  'field_exists',
  'field_missing',
  'less_than',
  'greater_than',
  'schedule',
  'labels',
  'all',
  'none',
  'any',
  'not',
] as const;
export type SelectorKey = (typeof SELECTOR_KEYS)[number];

export const ACTION_KEYS = [
  'set',
  'replace',
  'discard',
  'stop',
  'stop_rule_set',
  'severity',
  'category',
  'priority',
  'impact',
  'owner',
  'team',
  'service',
  'environment',
  'add_labels',
  'remove_labels',
  'fingerprint',
  'lookup',
] as const;
export type ActionKey = (typeof ACTION_KEYS)[number];

/** Keys of a rule that are neither selectors nor actions. */
export const RULE_OPTION_KEYS = ['name', 'uuid', 'skip', 'description'] as const;

export function isSelectorKey(key: string): key is SelectorKey {
  return (SELECTOR_KEYS as readonly string[]).includes(key);
}

export function isActionKey(key: string): key is ActionKey {
  return (ACTION_KEYS as readonly string[]).includes(key);
}
