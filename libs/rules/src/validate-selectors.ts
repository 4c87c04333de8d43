import { normalizeSeverity, PRIORITIES } from '@vigil/contracts';
import type { Dialect, FieldUse } from './dialect';
import { EqualsValue, isSelectorKey, OneOrMany, SELECTOR_KEYS, SelectorSet } from './document';
import type { Problems } from './errors';
import { FieldRef, fieldText, labelKeyProblem } from './fields';
import { isRegexLiteral, parseRegexLiteral } from './regex';
import { childPath } from './source';
import { suggestion } from './suggest';
import {
  describe,
  enumValueOk,
  isObject,
  oneOrMany,
  Raw,
  setOwn,
  ValidationContext,
} from './validate-context';

export class SelectorValidator {
  private readonly dialect: Dialect;
  private readonly problems: Problems;

  constructor(private readonly context: ValidationContext) {
    this.dialect = context.dialect;
    this.problems = context.problems;
  }

  selectorSet(raw: Raw, path: string, requireOne: boolean): SelectorSet {
    const set: SelectorSet = {};
    let count = 0;
    for (const key of Object.keys(raw)) {
      if (!isSelectorKey(key)) {
        this.problems.error(
          childPath(path, key),
          `unknown selector "${key}"${suggestion(key, SELECTOR_KEYS)}`,
          'key',
        );
        continue;
      }
      count++;
      const value = raw[key];
      const keyPath = childPath(path, key);
      switch (key) {
        case 'match':
          set.match = this.fieldMap(value, keyPath, 'text', (v, p) => this.patternList(v, p, 'match'));
          break;
        case 'equals':
          set.equals = this.fieldMap(value, keyPath, 'compare', (v, p, field) =>
            this.equalsValues(v, p, field),
          );
          break;
        case 'starts_with':
        case 'ends_with':
          set[key] = this.fieldMap(value, keyPath, 'text', (v, p) => this.textList(v, p, key));
          break;
        case 'field_exists':
        case 'field_missing':
          set[key] = this.fieldList(value, keyPath);
          break;
        case 'less_than':
        case 'greater_than':
          set[key] = this.fieldMap(value, keyPath, 'compare', (v, p, field) => this.bound(v, p, field));
          break;
        case 'schedule':
          set.schedule = this.scheduleSelector(value, keyPath);
          break;
        case 'labels':
          set.labels = this.labelSelector(value, keyPath);
          break;
        case 'all':
          if (Array.isArray(value)) set.all = this.selectorList(value, keyPath, 'all');
          else if (value === true) set.all = true;
          else if (value === false && this.dialect.panther) {
            this.problems.warn(
              keyPath,
              'Panther selected every event with "all: false" as with "all: true"; imported as all: true',
            );
            set.all = true;
          } else
            this.problems.error(
              keyPath,
              `all must be true, or a list of selector sets that must all hold (got ${describe(value)})`,
            );
          break;
        case 'none':
          if (value === true) set.none = true;
          else if (value === false && this.dialect.panther) {
            this.problems.warn(
              keyPath,
              'Panther selected no event with "none: false" as with "none: true"; imported as none: true',
            );
            set.none = true;
          } else this.problems.error(keyPath, `none must be true (got ${describe(value)})`);
          break;
        case 'any':
          if (Array.isArray(value)) set.any = this.selectorList(value, keyPath, 'any');
          else
            this.problems.error(
              keyPath,
              `any must be a list of selector sets, one of which must hold (got ${describe(value)})`,
            );
          break;
        case 'not':
          if (isObject(value)) set.not = this.selectorSet(value, keyPath, true);
          else this.problems.error(keyPath, `not must be a selector set (got ${describe(value)})`);
          break;
      }
    }
    if (requireOne && count === 0) this.problems.error(path, 'a selector set needs at least one selector');
    return set;
  }

  private selectorList(raw: unknown[], path: string, name: string): SelectorSet[] {
    if (raw.length === 0) this.problems.error(path, `${name} needs at least one selector set`);
    return raw.map((item, index) => {
      const itemPath = childPath(path, index);
      if (isObject(item)) return this.selectorSet(item, itemPath, true);
      this.problems.error(itemPath, `each entry of ${name} is a selector set (got ${describe(item)})`);
      return {};
    });
  }

  /** `{field: value}` with the field resolved and written in Vigil's name. */
  private fieldMap<T>(
    raw: unknown,
    path: string,
    use: FieldUse,
    entry: (value: unknown, path: string, field: FieldRef) => T | undefined,
  ): Record<string, T> {
    const result: Record<string, T> = {};
    if (!isObject(raw) || Object.keys(raw).length === 0) {
      this.problems.error(path, `expected a mapping of field: value (got ${describe(raw)})`);
      return result;
    }
    for (const [name, value] of Object.entries(raw)) {
      const entryPath = childPath(path, name);
      const field = this.dialect.field(name, use, entryPath, this.problems);
      if (!field.ok) {
        this.problems.error(entryPath, field.message, 'key');
        continue;
      }
      const text = fieldText(field.field);
      if (Object.hasOwn(result, text)) {
        this.problems.error(entryPath, `field ${text} appears twice here`, 'key');
        continue;
      }
      const checked = entry(value, entryPath, field.field);
      if (checked !== undefined) setOwn(result, text, checked);
    }
    return result;
  }

  private fieldList(raw: unknown, path: string): OneOrMany<string> | undefined {
    const items = Array.isArray(raw) ? raw : [raw];
    const fields: string[] = [];
    items.forEach((item, index) => {
      const itemPath = Array.isArray(raw) ? childPath(path, index) : path;
      if (typeof item !== 'string' || item === '') {
        this.problems.error(itemPath, `expected a field name (got ${describe(item)})`);
        return;
      }
      const field = this.dialect.field(item, 'compare', itemPath, this.problems);
      if (field.ok) fields.push(fieldText(field.field));
      else this.problems.error(itemPath, field.message);
    });
    if (Array.isArray(raw) && raw.length === 0) this.problems.error(path, 'expected at least one field name');
    return Array.isArray(raw) ? fields : fields[0];
  }

  /** A literal or `/re/flags`, or a list of them. */
  private patternList(raw: unknown, path: string, what: string): OneOrMany<string> | undefined {
    const one = (value: unknown, itemPath: string): string | undefined => {
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      if (typeof value !== 'string' || value === '') {
        this.problems.error(itemPath, `${what} needs a non-empty string or /regex/ (got ${describe(value)})`);
        return undefined;
      }
      if (isRegexLiteral(value)) {
        const parsed = parseRegexLiteral(value, { stateless: true });
        if (!parsed.ok)
          this.problems.error(itemPath, `invalid regular expression ${value}: ${parsed.message}`);
      }
      return value;
    };
    return oneOrMany(this.context, raw, path, one);
  }

  private textList(raw: unknown, path: string, what: string): OneOrMany<string> | undefined {
    return oneOrMany(this.context, raw, path, (value, itemPath) => {
      if (typeof value === 'number') return String(value);
      if (typeof value !== 'string' || value === '') {
        this.problems.error(itemPath, `${what} needs a non-empty string (got ${describe(value)})`);
        return undefined;
      }
      return value;
    });
  }

  private equalsValues(raw: unknown, path: string, field: FieldRef): OneOrMany<EqualsValue> | undefined {
    return oneOrMany(this.context, raw, path, (value, itemPath) => {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        this.problems.error(itemPath, `equals needs a string, number or boolean (got ${describe(value)})`);
        return undefined;
      }
      if (value === '') {
        this.problems.error(itemPath, 'equals needs a non-empty value (field_missing tests for absence)');
        return undefined;
      }
      if (!enumValueOk(this.context, field, value, itemPath)) return undefined;
      return value;
    });
  }

  private bound(raw: unknown, path: string, field: FieldRef): number | string | undefined {
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
    if (field.kind === 'core' && typeof raw === 'string') {
      if (field.name === 'severity' && normalizeSeverity(raw) !== undefined) return raw;
      if (field.name === 'priority' && (PRIORITIES as readonly string[]).includes(raw)) return raw;
    }
    this.problems.error(
      path,
      `expected a number (or a severity name for severity, P1–P5 for priority) (got ${describe(raw)})`,
    );
    return undefined;
  }

  private scheduleSelector(raw: unknown, path: string): { name: string } | undefined {
    let name: unknown = raw;
    if (isObject(raw)) {
      for (const key of Object.keys(raw)) {
        if (key !== 'name')
          this.problems.error(
            childPath(path, key),
            `a schedule selector has only a name (got "${key}")`,
            'key',
          );
      }
      name = raw.name;
      path = childPath(path, 'name');
    }
    if (typeof name !== 'string' || name === '') {
      this.problems.error(path, `schedule needs the name of a schedule (got ${describe(name)})`);
      return undefined;
    }
    if (!this.context.scheduleNames.has(name)) {
      const known = [...this.context.scheduleNames];
      this.problems.error(
        path,
        `unknown schedule "${name}" (${known.length ? `schedules: ${known.join(', ')}` : 'no schedules are defined'})`,
      );
    }
    return { name };
  }

  private labelSelector(raw: unknown, path: string): Record<string, OneOrMany<string>> | undefined {
    if (!isObject(raw) || Object.keys(raw).length === 0) {
      this.problems.error(path, `labels needs a mapping of label key: value (got ${describe(raw)})`);
      return undefined;
    }
    const result: Record<string, OneOrMany<string>> = {};
    for (const [key, value] of Object.entries(raw)) {
      const entryPath = childPath(path, key);
      const problem = labelKeyProblem(key);
      if (problem) {
        this.problems.error(entryPath, problem, 'key');
        continue;
      }
      const values = this.patternList(value, entryPath, 'labels');
      if (values !== undefined) setOwn(result, key, values);
    }
    return result;
  }
}
