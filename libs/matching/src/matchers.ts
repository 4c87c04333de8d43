import { FieldError, Parsed, isRecord, show } from './field-errors';

/** One Alertmanager matcher: `name=value`, `name!=value`, `name=~regex` or `name!~regex`. */
export interface Matcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual: boolean;
  /** Compiled, fully anchored; present when isRegex. */
  readonly regex?: RegExp;
}

/** Labels and fields as the caller flattens them: `node`, `service`, `labels.team`… */
export type LabelSet = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const TEXT_FORM = /^\s*([^=!~\s]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * Alertmanager wraps a matcher's regex as `^(?:…)$`, so `api|web` must match the whole value.
 * JavaScript's syntax is not RE2's: lookarounds are accepted here, and RE2's (?i) flag group is not.
 */
function anchored(source: string): RegExp | string {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function build(name: string, value: string, isRegex: boolean, isEqual: boolean): Matcher | string {
  if (!NAME.test(name)) return `${JSON.stringify(name)} is not a label name (letters, digits, _ and .)`;
  if (!isRegex) return { name, value, isRegex, isEqual };
  const regex = anchored(value);
  return typeof regex === 'string'
    ? `bad regex ${JSON.stringify(value)}: ${regex}`
    : { name, value, isRegex, isEqual, regex };
}

/** A double-quoted value is a JSON string (Alertmanager accepts `env="prod"` too); anything else is literal. */
function unquote(raw: string): string | { error: string } {
  if (!raw.startsWith('"')) return raw;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : { error: `${raw} is not a quoted string` };
  } catch {
    return { error: `${raw} is not a properly quoted string` };
  }
}

function parseText(text: string): Matcher | string {
  const parts = TEXT_FORM.exec(text);
  if (!parts) return `${JSON.stringify(text)} is not name=value, name!=value, name=~regex or name!~regex`;
  const [, name, operator, raw] = parts;
  const value = unquote(raw);
  if (typeof value !== 'string') return value.error;
  return build(name, value, operator.endsWith('~'), operator.startsWith('='));
}

function parseObject(input: Record<string, unknown>): Matcher | string {
  const { name, value, isRegex = false, isEqual = true } = input;
  const extra = Object.keys(input).filter((key) => !['name', 'value', 'isRegex', 'isEqual'].includes(key));
  if (extra.length > 0) return `unknown field ${extra.join(', ')} (allowed: name, value, isRegex, isEqual)`;
  if (typeof name !== 'string') return 'name must be a string';
  if (typeof value !== 'string') return 'value must be a string';
  if (typeof isRegex !== 'boolean' || typeof isEqual !== 'boolean')
    return 'isRegex and isEqual must be true or false';
  return build(name, value, isRegex, isEqual);
}

export function parseMatcher(input: unknown): Matcher | string {
  if (typeof input === 'string') return parseText(input);
  if (isRecord(input)) return parseObject(input);
  return `${show(input)} is neither a "name=value" string nor {name, value, isRegex?, isEqual?}`;
}

/** `field` names the list, e.g. `sourceMatchers`; errors point at `field[i]` and quote the matcher. */
export function parseMatchers(input: unknown, field = 'matchers'): Parsed<'matchers', Matcher[]> {
  if (!Array.isArray(input)) return { ok: false, errors: [{ field, reason: 'must be a list of matchers' }] };
  const matchers: Matcher[] = [];
  const errors: FieldError[] = [];
  input.forEach((item: unknown, index) => {
    const parsed = parseMatcher(item);
    if (typeof parsed === 'string')
      errors.push({ field: `${field}[${index}]`, reason: `${show(item)}: ${parsed}` });
    else matchers.push(parsed);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, matchers };
}

/** A missing label reads as the empty string, as in Alertmanager: `team!=db` matches an alert without `team`. */
export function labelValue(labels: LabelSet, name: string): string {
  return (Object.hasOwn(labels, name) ? labels[name] : undefined) ?? '';
}

export function matches(matcher: Matcher, labels: LabelSet): boolean {
  const value = labelValue(labels, matcher.name);
  const hit = matcher.regex ? matcher.regex.test(value) : value === matcher.value;
  return hit === matcher.isEqual;
}

export function matchesAll(matchers: readonly Matcher[], labels: LabelSet): boolean {
  return matchers.every((matcher) => matches(matcher, labels));
}

export function formatMatcher(matcher: Matcher): string {
  const operator = `${matcher.isEqual ? '=' : '!'}${matcher.isRegex ? '~' : matcher.isEqual ? '' : '='}`;
  return `${matcher.name}${operator}${JSON.stringify(matcher.value)}`;
}
