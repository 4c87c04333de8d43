import { normalizeSeverity, SEVERITY_RANK, Severity } from '@vigil/contracts';
import { asText, compileReader, Reader } from './access';
import type { EqualsValue, OneOrMany, SelectorSet } from './document';
import { FieldRef, parseFieldPath } from './fields';
import { escapeRegex, isRegexLiteral, parseRegexLiteral } from './regex';
import type { CompiledSchedule } from './schedule';
import type { WorkingEvent } from './working-event';

/** What a run knows besides the event: the instant schedules are evaluated at. */
export interface RunContext {
  readonly now: Date;
}

export type Test = (event: WorkingEvent, run: RunContext) => boolean;

export interface SelectorEnvironment {
  /** Whether any template uses `{match.N}`: only then do matches pay for keeping their captures. */
  readonly captures: boolean;
  readonly schedules: ReadonlyMap<string, CompiledSchedule>;
}

const always: Test = () => true;
const never: Test = () => false;

function field(name: string): FieldRef {
  const parsed = parseFieldPath(name);
  // A document that reached the compiler has been validated; this is a programming error.
  if (!parsed.ok) throw new Error(`compileRuleSet: ${parsed.message}`);
  return parsed.field;
}

function many<T>(value: OneOrMany<T>): T[] {
  return Array.isArray(value) ? value : [value];
}

function all(tests: Test[]): Test {
  if (tests.length === 0) return always;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (event, run) => a(event, run) && b(event, run);
  }
  return (event, run) => {
    for (const test of tests) if (!test(event, run)) return false;
    return true;
  };
}

function anyOf(tests: Test[]): Test {
  if (tests.length === 1) return tests[0];
  return (event, run) => {
    for (const test of tests) if (test(event, run)) return true;
    return false;
  };
}

/** Tests one text. A successful match keeps its captures for `{match.N}`, as Panther does. */
type TextTest = (text: string, event: WorkingEvent) => boolean;

function patternTest(pattern: string, env: SelectorEnvironment): TextTest {
  if (isRegexLiteral(pattern)) {
    const parsed = parseRegexLiteral(pattern, { stateless: true });
    if (!parsed.ok) throw new Error(`compileRuleSet: ${parsed.message}`);
    const regex = parsed.regex;
    if (!env.captures) return (text) => regex.test(text);
    return (text, event) => {
      const found = regex.exec(text);
      if (found) event.captures = found;
      return found !== null;
    };
  }
  if (!env.captures) return (text) => text.includes(pattern);
  // Panther's literal match still replaced the event's match array, leaving no groups behind.
  const whole = [pattern];
  return (text, event) => {
    if (!text.includes(pattern)) return false;
    event.captures = whole;
    return true;
  };
}

/**
 * A list of patterns as Panther built it (oa-helpers `regex_from_array`): one alternation, so that
 * `{match.N}` numbers the groups across the whole list — `[/(one)/, /(two)/]` puts "two" in
 * `{match.2}`. Only patterns with the same flags can share a regex; otherwise each is tried alone.
 */
function patternListTest(patterns: string[], env: SelectorEnvironment): TextTest[] {
  if (patterns.length < 2) return patterns.map((p) => patternTest(p, env));
  const parts = patterns.map((p) => {
    if (!isRegexLiteral(p)) return { source: escapeRegex(p), flags: '' };
    const parsed = parseRegexLiteral(p, { stateless: true });
    if (!parsed.ok) throw new Error(`compileRuleSet: ${parsed.message}`);
    return { source: parsed.regex.source, flags: parsed.regex.flags };
  });
  const flags = parts[0].flags;
  if (parts.some((part) => part.flags !== flags)) return patterns.map((p) => patternTest(p, env));
  return [patternTest(`/${parts.map((part) => `(?:${part.source})`).join('|')}/${flags}`, env)];
}

function textSelector(read: Reader, tests: TextTest[]): Test {
  const test = tests.length === 1 ? tests[0] : undefined;
  return (event) => {
    const text = asText(read(event));
    if (text === undefined) return false;
    if (test) return test(text, event);
    for (const t of tests) if (t(text, event)) return true;
    return false;
  };
}

function equalsSelector(ref: FieldRef, values: EqualsValue[]): Test {
  if (ref.kind === 'core' && ref.name === 'severity') {
    const wanted = new Set(
      values.map((v) => normalizeSeverity(v)).filter((s): s is Severity => s !== undefined),
    );
    return (event) => wanted.has(event.severity);
  }
  const read = compileReader(ref);
  const wanted = new Set(values.map(String));
  return (event) => {
    const text = asText(read(event));
    return text !== undefined && wanted.has(text);
  };
}

/*
 * Bound once at load: compiled modules reach another module's exports through getters, which
 * costs a call per use on the hot path.
 */
const RANK = SEVERITY_RANK;

function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** Severity compares by rank (0–5), priority by its digit (P1 → 1), anything else as a number. */
function comparison(ref: FieldRef, bound: number | string, below: boolean): Test {
  let value: (event: WorkingEvent) => number;
  let limit: number;
  if (ref.kind === 'core' && ref.name === 'severity') {
    const severity = normalizeSeverity(bound);
    limit = severity === undefined ? Number.NaN : RANK[severity];
    value = (event) => RANK[event.severity];
  } else if (ref.kind === 'core' && ref.name === 'priority') {
    limit = typeof bound === 'string' ? Number(bound.slice(1)) : bound;
    value = (event) => Number(event.currentPriority().slice(1));
  } else {
    const read = compileReader(ref);
    limit = numeric(bound);
    value = (event) => numeric(read(event));
  }
  return below ? (event) => value(event) < limit : (event) => value(event) > limit;
}

function presence(names: OneOrMany<string>, present: boolean): Test {
  const reads = many(names).map((name) => compileReader(field(name)));
  return anyOf(
    reads.map((read) => (event: WorkingEvent) => {
      const value = read(event);
      return (value !== undefined && value !== null) === present;
    }),
  );
}

function labelSelector(key: string, values: OneOrMany<string>, env: SelectorEnvironment): Test {
  const tests = many(values).map((value): TextTest =>
    isRegexLiteral(value) ? patternTest(value, env) : (text) => text === value,
  );
  return textSelector((event) => event.label(key), tests);
}

/**
 * A selector set as one test: the selectors in the order written, each must hold (AND), stopping
 * at the first that does not — so, as in Panther, a `match` that runs before a failing selector has
 * still recorded its captures.
 */
export function compileSelectorSet(set: SelectorSet, env: SelectorEnvironment): Test {
  const tests: Test[] = [];
  for (const key of Object.keys(set) as (keyof SelectorSet)[]) {
    switch (key) {
      case 'match':
        for (const [name, patterns] of Object.entries(set.match ?? {})) {
          tests.push(textSelector(compileReader(field(name)), patternListTest(many(patterns), env)));
        }
        break;
      case 'equals':
        for (const [name, values] of Object.entries(set.equals ?? {}))
          tests.push(equalsSelector(field(name), many(values)));
        break;
      case 'starts_with':
        for (const [name, prefixes] of Object.entries(set.starts_with ?? {})) {
          tests.push(
            textSelector(
              compileReader(field(name)),
              many(prefixes).map((p) => (text: string) => text.startsWith(p)),
            ),
          );
        }
        break;
      case 'ends_with':
        for (const [name, suffixes] of Object.entries(set.ends_with ?? {})) {
          tests.push(
            textSelector(
              compileReader(field(name)),
              many(suffixes).map((s) => (text: string) => text.endsWith(s)),
            ),
          );
        }
        break;
      case 'field_exists':
        if (set.field_exists !== undefined) tests.push(presence(set.field_exists, true));
        break;
      case 'field_missing':
        if (set.field_missing !== undefined) tests.push(presence(set.field_missing, false));
        break;
      case 'less_than':
        for (const [name, bound] of Object.entries(set.less_than ?? {}))
          tests.push(comparison(field(name), bound, true));
        break;
      case 'greater_than':
        for (const [name, bound] of Object.entries(set.greater_than ?? {}))
          tests.push(comparison(field(name), bound, false));
        break;
      case 'schedule': {
        const schedule = set.schedule && env.schedules.get(set.schedule.name);
        if (!schedule) throw new Error(`compileRuleSet: unknown schedule "${set.schedule?.name}"`);
        tests.push((_event, run) => schedule.isIn(run.now));
        break;
      }
      case 'labels':
        for (const [labelKey, values] of Object.entries(set.labels ?? {}))
          tests.push(labelSelector(labelKey, values, env));
        break;
      case 'all':
        if (Array.isArray(set.all)) tests.push(all(set.all.map((inner) => compileSelectorSet(inner, env))));
        break;
      case 'none':
        tests.push(never);
        break;
      case 'any':
        tests.push(anyOf((set.any ?? []).map((inner) => compileSelectorSet(inner, env))));
        break;
      case 'not': {
        const inner = compileSelectorSet(set.not ?? {}, env);
        tests.push((event, run) => !inner(event, run));
        break;
      }
    }
  }
  return all(tests);
}
