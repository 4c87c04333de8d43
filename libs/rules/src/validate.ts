import { IANAZone } from 'luxon';
import {
  CATEGORIES,
  IMPACTS,
  normalizeSeverity,
  PRIORITIES,
  SEVERITY_ALLOWED_DESCRIPTION,
} from '@vigil/contracts';
import type { Dialect, FieldUse } from './dialect';
import {
  ActionSet,
  EqualsValue,
  GroupDocument,
  isActionKey,
  isSelectorKey,
  LookupAction,
  OneOrMany,
  ReplaceAction,
  RULE_OPTION_KEYS,
  RuleDocument,
  RuleSetDocument,
  ScheduleDocument,
  SELECTOR_KEYS,
  SelectorSet,
  Weekday,
  WEEKDAYS,
} from './document';
import type { Problems } from './errors';
import { FieldRef, fieldText, isWritable, labelKeyProblem } from './fields';
import { isRegexLiteral, parseRegexLiteral } from './regex';
import { LEGACY_KEYS, legacyDedupe, legacyDiscard } from './panther-legacy';
import { childPath } from './source';
import { RULE_KEYS, suggestion } from './suggest';
import { constantText, isConstant, parseTemplate, Template, templateText } from './template';

/*
 * Plain values (from YAML or JSON) → a RuleSetDocument, collecting every problem with its path
 * rather than stopping at the first, so an editor can show them all at once.
 */

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** User-chosen keys (field names, label keys) are defined, never assigned: `__proto__` stays a key. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

class Validator {
  private readonly scheduleNames = new Set<string>();
  private readonly uuids = new Map<string, string>();

  constructor(
    private readonly dialect: Dialect,
    private readonly problems: Problems,
  ) {}

  ruleSet(raw: unknown): RuleSetDocument {
    const document: RuleSetDocument = { globals: [], groups: [], schedules: [] };
    if (raw === null || raw === undefined) return document;
    if (!isObject(raw)) {
      this.problems.error(
        '',
        `a rule set must be a mapping with globals, groups and schedules (got ${describe(raw)})`,
      );
      return document;
    }
    for (const key of Object.keys(raw)) {
      if (['globals', 'groups', 'schedules', 'metadata'].includes(key)) continue;
      if (key === 'hash' && this.dialect.panther) continue;
      if (key === 'agent' && this.dialect.panther) {
        // The server only loaded it; its monitors ran it, before the server's rules.
        this.problems.warn(
          key,
          'agent: ignored: agent rules (field_map, severity_map, transforms) ran in Panther monitors; Vigil maps producer formats at ingest',
          'key',
        );
        continue;
      }
      this.problems.error(
        key,
        `unknown key "${key}" (a rule set has globals, groups, schedules, metadata)`,
        'key',
      );
    }
    // Schedules first: rules refer to them by name.
    document.schedules = this.schedules(raw.schedules, 'schedules');
    document.globals = this.globals(raw.globals, 'globals');
    document.groups = this.groups(raw.groups, 'groups');
    if (raw.metadata !== undefined && raw.metadata !== null) {
      if (isObject(raw.metadata)) document.metadata = { ...raw.metadata };
      else this.problems.error('metadata', `metadata must be a mapping (got ${describe(raw.metadata)})`);
    }
    return document;
  }

  private globals(raw: unknown, path: string): RuleDocument[] {
    if (raw === undefined || raw === null) return [];
    if (!isObject(raw)) {
      this.problems.error(path, `globals must be a mapping with rules: [...] (got ${describe(raw)})`);
      return [];
    }
    for (const key of Object.keys(raw)) {
      if (key === 'rules' || (this.dialect.panther && LEGACY_KEYS.includes(key))) continue;
      const hint = LEGACY_KEYS.includes(key)
        ? ` (Panther's legacy ${key} shortcut: write it as a rule with ${key === 'discard' ? 'discard: true' : 'replace'})`
        : '';
      this.problems.error(childPath(path, key), `unknown key "${key}" in globals${hint}`, 'key');
    }
    return this.ruleSetRules(raw, path);
  }

  /** A rule set's rules; for Panther, its legacy shortcuts first, as Panther generated them. */
  private ruleSetRules(raw: Raw, path: string): RuleDocument[] {
    const rules: RuleDocument[] = [];
    if (this.dialect.panther) {
      for (const key of LEGACY_KEYS) {
        const legacyPath = childPath(path, key);
        const list = raw[key];
        if (list === undefined || list === null) continue;
        if (!Array.isArray(list)) {
          this.problems.error(legacyPath, `${key} must be a list (got ${describe(list)})`);
          continue;
        }
        list.forEach((entry, index) => {
          const entryPath = childPath(legacyPath, index);
          const expanded = key === 'discard' ? legacyDiscard(entry, index) : legacyDedupe(entry, index);
          if (!expanded) {
            this.problems.error(entryPath, `cannot read this ${key} shortcut (got ${describe(entry)})`);
            return;
          }
          this.problems.warn(
            entryPath,
            `Panther's ${key} shortcut expanded to the rule "${String(expanded.name)}"`,
          );
          const rule = this.rule(expanded, entryPath);
          if (rule) rules.push(rule);
        });
      }
    }
    rules.push(...this.rules(raw.rules, childPath(path, 'rules')));
    return rules;
  }

  private rules(raw: unknown, path: string): RuleDocument[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.problems.error(path, `rules must be a list (got ${describe(raw)})`);
      return [];
    }
    const rules: RuleDocument[] = [];
    raw.forEach((item, index) => {
      const rule = this.rule(item, childPath(path, index));
      if (rule) rules.push(rule);
    });
    return rules;
  }

  private groups(raw: unknown, path: string): GroupDocument[] {
    if (raw === undefined || raw === null) return [];
    if (!isObject(raw)) {
      this.problems.error(
        path,
        `groups must be a mapping of group names, with _order (got ${describe(raw)})`,
      );
      return [];
    }
    const names = Object.keys(raw).filter((key) => key !== '_order');
    let order: string[] = names;
    const orderPath = childPath(path, '_order');
    if (raw._order !== undefined) {
      if (!Array.isArray(raw._order)) {
        this.problems.error(orderPath, `_order must be a list of group names (got ${describe(raw._order)})`);
      } else {
        order = [];
        raw._order.forEach((name, index) => {
          const itemPath = childPath(orderPath, index);
          if (typeof name !== 'string') {
            this.problems.error(itemPath, `_order entries are group names (got ${describe(name)})`);
          } else if (order.includes(name)) {
            this.problems.error(itemPath, `group "${name}" is listed twice in _order`);
          } else if (!names.includes(name)) {
            this.problems.error(itemPath, `group "${name}" is listed in _order but not defined under groups`);
          } else {
            order.push(name);
          }
        });
        for (const name of names) {
          if (!(raw._order as unknown[]).includes(name)) {
            this.problems.error(
              childPath(path, name),
              `group "${name}" is not listed in groups._order`,
              'key',
            );
          }
        }
      }
    }
    const groups: GroupDocument[] = [];
    for (const name of order) {
      const group = this.group(name, raw[name], childPath(path, name));
      if (group) groups.push(group);
    }
    return groups;
  }

  private group(name: string, raw: unknown, path: string): GroupDocument | undefined {
    if (name.trim() !== name || name === '') {
      this.problems.error(
        path,
        `group name "${name}" must not be empty or begin or end with whitespace`,
        'key',
      );
    }
    if (!isObject(raw)) {
      this.problems.error(
        path,
        `group "${name}" must be a mapping with a selector and rules (got ${describe(raw)})`,
      );
      return undefined;
    }
    const group: GroupDocument = { name, select: {}, rules: [] };
    const selectKey =
      raw.select !== undefined ? 'select' : raw.selectors !== undefined ? 'selectors' : undefined;
    const inline: Raw = Object.create(null) as Raw;
    for (const key of Object.keys(raw)) {
      if (key === 'rules' || key === 'uuid' || key === selectKey) continue;
      if (this.dialect.panther && LEGACY_KEYS.includes(key)) continue;
      if (isSelectorKey(key)) inline[key] = raw[key];
      else this.problems.error(childPath(path, key), `unknown key "${key}" in group "${name}"`, 'key');
    }
    if (selectKey && Object.keys(inline).length > 0) {
      this.problems.error(
        childPath(path, Object.keys(inline)[0]),
        `group "${name}" has both a ${selectKey}: block and selectors of its own; use one`,
        'key',
      );
    }
    if (selectKey) {
      const selectPath = childPath(path, selectKey);
      const select = raw[selectKey];
      if (!isObject(select)) {
        this.problems.error(
          selectPath,
          `${selectKey} must be a mapping of selectors (got ${describe(select)})`,
        );
      } else {
        group.select = this.selectorSet(select, selectPath, true);
      }
    } else if (Object.keys(inline).length > 0) {
      group.select = this.selectorSet(inline, path, true);
    } else {
      this.problems.error(path, `group "${name}" needs a selector (select: {...}, or e.g. all: true)`, 'key');
    }
    const uuid = this.uuid(raw.uuid, childPath(path, 'uuid'));
    if (uuid) group.uuid = uuid;
    group.rules = this.ruleSetRules(raw, path);
    return group;
  }

  /**
   * A uuid identifies a rule in `matchedRules`, so it must be unique. Panther never checked (its own
   * sample files repeat `uuid: 1234`): an import keeps the first and drops repeats with a warning,
   * those rules then get generated ids.
   */
  private uuid(raw: unknown, path: string): string | undefined {
    if (raw === undefined || raw === null) return undefined;
    const text = this.dialect.panther && typeof raw === 'number' ? String(raw) : raw;
    if (typeof text !== 'string' || text.trim() === '') {
      this.problems.error(path, `uuid must be a non-empty string (got ${describe(raw)})`);
      return undefined;
    }
    const previous = this.uuids.get(text);
    if (previous !== undefined) {
      if (this.dialect.panther) {
        this.problems.warn(
          path,
          `uuid "${text}" is already used at ${previous}; dropped, the rule gets a generated id`,
        );
        return undefined;
      }
      this.problems.error(path, `uuid "${text}" is already used at ${previous}`);
      return text;
    }
    this.uuids.set(text, path);
    return text;
  }

  private rule(raw: unknown, path: string): RuleDocument | undefined {
    if (!isObject(raw)) {
      this.problems.error(
        path,
        `a rule must be a mapping with a name, selectors and actions (got ${describe(raw)})`,
      );
      return undefined;
    }
    const name = typeof raw.name === 'string' ? raw.name : '';
    if (name.trim() === '') {
      this.problems.error(childPath(path, 'name'), `a rule needs a name (got ${describe(raw.name)})`);
    }
    const selectorRaw: Raw = Object.create(null) as Raw;
    const actionKeys: string[] = [];
    for (const key of Object.keys(raw)) {
      if ((RULE_OPTION_KEYS as readonly string[]).includes(key)) continue;
      if (key === 'debug' && this.dialect.panther) continue;
      if (isSelectorKey(key)) selectorRaw[key] = raw[key];
      else if (isActionKey(key)) actionKeys.push(key);
      else {
        this.problems.error(
          childPath(path, key),
          `unknown key "${key}" in rule "${name}"${suggestion(key, RULE_KEYS)}`,
          'key',
        );
      }
    }
    const uuid = this.uuid(raw.uuid, childPath(path, 'uuid'));
    const skip = this.flag(raw.skip, 'skip', childPath(path, 'skip'), false);
    if (raw.description !== undefined && typeof raw.description !== 'string') {
      this.problems.error(childPath(path, 'description'), 'description must be text');
    }
    const rule: RuleDocument = {
      name,
      ...(uuid ? { uuid } : {}),
      ...(skip ? { skip: true as const } : {}),
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    };
    if (Object.keys(selectorRaw).length === 0) {
      this.problems.error(path, `rule "${name}" needs at least one selector (all: true selects every event)`);
    } else {
      Object.assign(rule, this.selectorSet(selectorRaw, path, false));
    }
    for (const key of actionKeys) this.action(rule, key, raw[key], childPath(path, key));
    // Panther counts `skip` as an action, so a disabled rule may have none.
    if (actionKeys.length === 0 && !skip) {
      this.problems.error(path, `rule "${name}" needs at least one action`);
    }
    return rule;
  }

  /**
   * `true` sets a flag. Panther created the action whenever the key was present, so `discard: false`
   * discarded: imports keep that meaning (with a warning); Vigil's own files must say `true`.
   */
  private flag(value: unknown, key: string, path: string, pantherTrueWhenPresent: boolean): boolean {
    if (value === undefined || value === true) return value === true;
    if (value === false || value === null) {
      if (pantherTrueWhenPresent && this.dialect.panther) {
        this.problems.warn(
          path,
          `Panther acted on "${key}: ${String(value)}" as if it were true; imported as true`,
        );
        return true;
      }
      if (key === 'skip' && value === false) return false;
      this.problems.error(path, `${key} must be true (remove the key to turn it off)`);
      return false;
    }
    this.problems.error(path, `${key} must be true (got ${describe(value)})`);
    return false;
  }

  // ----- selectors

  private selectorSet(raw: Raw, path: string, requireOne: boolean): SelectorSet {
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
    return this.oneOrMany(raw, path, one);
  }

  private textList(raw: unknown, path: string, what: string): OneOrMany<string> | undefined {
    return this.oneOrMany(raw, path, (value, itemPath) => {
      if (typeof value === 'number') return String(value);
      if (typeof value !== 'string' || value === '') {
        this.problems.error(itemPath, `${what} needs a non-empty string (got ${describe(value)})`);
        return undefined;
      }
      return value;
    });
  }

  private oneOrMany<T>(
    raw: unknown,
    path: string,
    one: (value: unknown, path: string) => T | undefined,
  ): OneOrMany<T> | undefined {
    if (!Array.isArray(raw)) return one(raw, path);
    if (raw.length === 0) {
      this.problems.error(path, 'expected at least one value');
      return undefined;
    }
    const values = raw.map((item, index) => one(item, childPath(path, index)));
    const present = values.filter((v): v is T => v !== undefined);
    return present.length === values.length ? present : undefined;
  }

  private equalsValues(raw: unknown, path: string, field: FieldRef): OneOrMany<EqualsValue> | undefined {
    return this.oneOrMany(raw, path, (value, itemPath) => {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        this.problems.error(itemPath, `equals needs a string, number or boolean (got ${describe(value)})`);
        return undefined;
      }
      if (value === '') {
        this.problems.error(itemPath, 'equals needs a non-empty value (field_missing tests for absence)');
        return undefined;
      }
      if (!this.enumValueOk(field, value, itemPath)) return undefined;
      return value;
    });
  }

  /** Values of severity, category, impact and priority are checked where they are written. */
  private enumValueOk(field: FieldRef, value: EqualsValue, path: string): boolean {
    if (field.kind !== 'core') return true;
    const check = (allowed: readonly string[], label: string) => {
      if (typeof value === 'string' && allowed.includes(value)) return true;
      this.problems.error(path, `${label} must be one of ${allowed.join(', ')} (got ${describe(value)})`);
      return false;
    };
    if (field.name === 'severity') {
      if (normalizeSeverity(value) !== undefined) return true;
      this.problems.error(
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
    if (!this.scheduleNames.has(name)) {
      const known = [...this.scheduleNames];
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

  // ----- actions

  private action(rule: RuleDocument, key: string, raw: unknown, path: string): void {
    const actions: ActionSet = rule;
    switch (key) {
      case 'set': {
        const set = this.setAction(raw, path, rule);
        // Empty when the only entry was Panther's severity -1, now a discard.
        if (set && Object.keys(set).length > 0) actions.set = set;
        break;
      }
      case 'replace': {
        const replace = this.replaceAction(raw, path);
        if (replace) actions.replace = replace;
        break;
      }
      case 'discard':
      case 'stop':
      case 'stop_rule_set':
        if (this.flag(raw, key, path, true)) actions[key] = true;
        break;
      case 'severity': {
        const severity = normalizeSeverity(raw);
        if (severity) actions.severity = severity;
        else
          this.problems.error(
            path,
            `severity must be one of ${SEVERITY_ALLOWED_DESCRIPTION} (got ${describe(raw)})`,
          );
        break;
      }
      case 'category':
        if (typeof raw === 'string' && (CATEGORIES as readonly string[]).includes(raw))
          actions.category = raw as ActionSet['category'];
        else
          this.problems.error(
            path,
            `category must be one of ${CATEGORIES.join(', ')} (got ${describe(raw)})`,
          );
        break;
      case 'impact':
        if (typeof raw === 'string' && (IMPACTS as readonly string[]).includes(raw))
          actions.impact = raw as ActionSet['impact'];
        else this.problems.error(path, `impact must be one of ${IMPACTS.join(', ')} (got ${describe(raw)})`);
        break;
      case 'priority':
        if (typeof raw === 'string' && (PRIORITIES as readonly string[]).includes(raw))
          actions.priority = raw as ActionSet['priority'];
        else
          this.problems.error(
            path,
            `priority must be one of ${PRIORITIES.join(', ')} (got ${describe(raw)})`,
          );
        break;
      case 'owner':
      case 'team':
      case 'service':
      case 'environment':
      case 'fingerprint': {
        const template = this.templateText(raw, path, key === 'fingerprint');
        if (template !== undefined) actions[key] = template;
        break;
      }
      case 'add_labels': {
        if (!isObject(raw) || Object.keys(raw).length === 0) {
          this.problems.error(
            path,
            `add_labels needs a mapping of label key: template (got ${describe(raw)})`,
          );
          break;
        }
        const labels: Record<string, string> = {};
        for (const [labelKey, value] of Object.entries(raw)) {
          const entryPath = childPath(path, labelKey);
          const problem = labelKeyProblem(labelKey);
          if (problem) this.problems.error(entryPath, problem, 'key');
          const template = this.templateText(value, entryPath, false);
          if (!problem && template !== undefined) setOwn(labels, labelKey, template);
        }
        actions.add_labels = labels;
        break;
      }
      case 'remove_labels': {
        const keys = Array.isArray(raw) ? raw : [raw];
        const valid: string[] = [];
        keys.forEach((labelKey, index) => {
          const itemPath = Array.isArray(raw) ? childPath(path, index) : path;
          const problem =
            typeof labelKey === 'string'
              ? labelKeyProblem(labelKey)
              : `expected a label key (got ${describe(labelKey)})`;
          if (problem) this.problems.error(itemPath, problem);
          else valid.push(labelKey as string);
        });
        if (keys.length === 0) this.problems.error(path, 'remove_labels needs at least one label key');
        actions.remove_labels = valid;
        break;
      }
      case 'lookup': {
        const lookups = this.oneOrMany(raw, path, (value, itemPath) => this.lookupAction(value, itemPath));
        if (lookups !== undefined) actions.lookup = lookups;
        break;
      }
    }
  }

  private setAction(
    raw: unknown,
    path: string,
    rule: RuleDocument,
  ): Record<string, string | number> | undefined {
    if (!isObject(raw) || Object.keys(raw).length === 0) {
      this.problems.error(path, `set needs a mapping of field: value (got ${describe(raw)})`);
      return undefined;
    }
    const result: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(raw)) {
      const entryPath = childPath(path, name);
      const field = this.writableField(name, entryPath);
      if (!field) continue;
      const text = fieldText(field);
      if (this.dialect.panther && text === 'severity' && (value === -1 || value === '-1')) {
        this.problems.warn(entryPath, 'Panther discarded events with severity -1; imported as discard: true');
        rule.discard = true;
        continue;
      }
      if (typeof value === 'number' && text === 'severity') {
        if (normalizeSeverity(value) === undefined) {
          this.problems.error(
            entryPath,
            `severity must be one of ${SEVERITY_ALLOWED_DESCRIPTION} (got ${describe(value)})`,
          );
        } else setOwn(result, text, value);
        continue;
      }
      const template = this.templateText(value, entryPath, false, field);
      if (template !== undefined) setOwn(result, text, template);
    }
    return result;
  }

  private writableField(name: string, path: string): FieldRef | undefined {
    const field = this.dialect.field(name, 'write', path, this.problems);
    if (!field.ok) {
      this.problems.error(path, field.message, 'key');
      return undefined;
    }
    if (!isWritable(field.field)) {
      this.problems.error(path, `${fieldText(field.field)} cannot be changed by rules`, 'key');
      return undefined;
    }
    return field.field;
  }

  /**
   * A template as text, parsed to catch unbalanced braces and unknown placeholders. A constant is
   * also checked against the field it is written to, so `set: {severity: bogus}` fails here rather
   * than on every event.
   */
  private templateText(raw: unknown, path: string, required: boolean, target?: FieldRef): string | undefined {
    if (typeof raw === 'number' || typeof raw === 'boolean') raw = String(raw);
    if (typeof raw !== 'string') {
      this.problems.error(path, `expected text (got ${describe(raw)})`);
      return undefined;
    }
    const template = this.template(raw, path);
    if (!template) return undefined;
    if (isConstant(template)) {
      const text = constantText(template);
      const requiredField =
        required || (target?.kind === 'core' && ['node', 'type', 'fingerprint'].includes(target.name));
      if (requiredField && text === '') {
        this.problems.error(path, 'must not be empty');
        return undefined;
      }
      if (target && !this.enumValueOk(target, text, path)) return undefined;
    }
    // A Panther template names Panther's fields; the document holds Vigil's.
    return this.dialect.panther ? templateText(template) : raw;
  }

  template(raw: string, path: string): Template | undefined {
    const parsed = parseTemplate(raw, (name) => this.dialect.field(name, 'template', path, this.problems));
    if (parsed.ok) return parsed.template;
    this.problems.error(path, `template "${raw}": ${parsed.message}`);
    return undefined;
  }

  private replaceAction(raw: unknown, path: string): OneOrMany<ReplaceAction> | undefined {
    return this.oneOrMany(raw, path, (value, itemPath) => {
      if (!isObject(value)) {
        this.problems.error(itemPath, `replace needs {field, this, with} (got ${describe(value)})`);
        return undefined;
      }
      for (const key of Object.keys(value)) {
        if (!['field', 'this', 'with'].includes(key)) {
          this.problems.error(
            childPath(itemPath, key),
            `unknown key "${key}" in replace (field, this, with)`,
            'key',
          );
        }
      }
      const fieldPath = childPath(itemPath, 'field');
      let field: FieldRef | undefined;
      if (typeof value.field !== 'string' || value.field === '') {
        this.problems.error(fieldPath, `replace needs a field (got ${describe(value.field)})`);
      } else {
        field = this.writableField(value.field, fieldPath);
      }
      const thisPath = childPath(itemPath, 'this');
      const search = typeof value.this === 'number' ? String(value.this) : value.this;
      if (typeof search !== 'string' || search === '') {
        this.problems.error(
          thisPath,
          `replace needs "this": text or /regex/ to look for (got ${describe(value.this)})`,
        );
      } else if (isRegexLiteral(search)) {
        const parsed = parseRegexLiteral(search, { stateless: false });
        if (!parsed.ok)
          this.problems.error(thisPath, `invalid regular expression ${search}: ${parsed.message}`);
      }
      const replacement = typeof value.with === 'number' ? String(value.with) : value.with;
      if (typeof replacement !== 'string') {
        this.problems.error(
          childPath(itemPath, 'with'),
          `replace needs "with": the replacement text (got ${describe(value.with)})`,
        );
      }
      if (!field || typeof search !== 'string' || search === '' || typeof replacement !== 'string')
        return undefined;
      return { field: fieldText(field), this: search, with: replacement };
    });
  }

  private lookupAction(raw: unknown, path: string): LookupAction | undefined {
    if (!isObject(raw)) {
      this.problems.error(path, `lookup needs {table, key, set} (got ${describe(raw)})`);
      return undefined;
    }
    for (const key of Object.keys(raw)) {
      if (!['table', 'key', 'set'].includes(key)) {
        this.problems.error(childPath(path, key), `unknown key "${key}" in lookup (table, key, set)`, 'key');
      }
    }
    if (typeof raw.table !== 'string' || raw.table === '') {
      this.problems.error(
        childPath(path, 'table'),
        `lookup needs the name of a table (got ${describe(raw.table)})`,
      );
    }
    const key = this.templateText(raw.key, childPath(path, 'key'), true);
    const setPath = childPath(path, 'set');
    const set: Record<string, string> = {};
    if (!isObject(raw.set) || Object.keys(raw.set).length === 0) {
      this.problems.error(setPath, `lookup needs set: {field: column} (got ${describe(raw.set)})`);
    } else {
      for (const [name, column] of Object.entries(raw.set)) {
        const entryPath = childPath(setPath, name);
        const field = this.writableField(name, entryPath);
        if (typeof column !== 'string' || column === '') {
          this.problems.error(entryPath, `expected the name of a table column (got ${describe(column)})`);
        } else if (field) setOwn(set, fieldText(field), column);
      }
    }
    if (typeof raw.table !== 'string' || raw.table === '' || key === undefined) return undefined;
    return { table: raw.table, key, set };
  }

  // ----- schedules

  private schedules(raw: unknown, path: string): ScheduleDocument[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.problems.error(path, `schedules must be a list (got ${describe(raw)})`);
      return [];
    }
    const schedules: ScheduleDocument[] = [];
    raw.forEach((item, index) => {
      const schedule = this.schedule(item, childPath(path, index));
      if (schedule) schedules.push(schedule);
    });
    return schedules;
  }

  private schedule(raw: unknown, path: string): ScheduleDocument | undefined {
    if (!isObject(raw)) {
      this.problems.error(path, `a schedule is {name, start, end, days} (got ${describe(raw)})`);
      return undefined;
    }
    for (const key of Object.keys(raw)) {
      if (!['name', 'uuid', 'start', 'end', 'days', 'timezone'].includes(key)) {
        this.problems.error(
          childPath(path, key),
          `unknown key "${key}" in schedule (name, uuid, start, end, days, timezone)`,
          'key',
        );
      }
    }
    let ok = true;
    const name = raw.name;
    if (typeof name !== 'string' || name.trim() === '') {
      this.problems.error(childPath(path, 'name'), `a schedule needs a name (got ${describe(name)})`);
      ok = false;
    } else if (this.scheduleNames.has(name)) {
      this.problems.error(childPath(path, 'name'), `schedule "${name}" is defined twice`);
    } else {
      this.scheduleNames.add(name);
    }
    const time = (key: 'start' | 'end'): string | undefined => {
      const value = raw[key];
      if (typeof value === 'string' && HHMM.test(value) && value <= '24:00') return value;
      this.problems.error(
        childPath(path, key),
        `${key} must be a time HH:MM from 00:00 to 24:00 (got ${describe(value)})`,
      );
      return undefined;
    };
    const start = time('start');
    const end = time('end');
    if (start !== undefined && start === end) {
      this.problems.error(childPath(path, 'end'), 'start and end must differ');
      ok = false;
    }
    const days: Weekday[] = [];
    if (!Array.isArray(raw.days) || raw.days.length === 0) {
      this.problems.error(
        childPath(path, 'days'),
        `days must be a list of weekdays, e.g. [Monday, Friday] (got ${describe(raw.days)})`,
      );
      ok = false;
    } else {
      raw.days.forEach((day, index) => {
        const canonical = WEEKDAYS.find(
          (w) => typeof day === 'string' && w.toLowerCase() === day.toLowerCase(),
        );
        if (!canonical)
          this.problems.error(
            childPath(childPath(path, 'days'), index),
            `"${String(day)}" is not a weekday (${WEEKDAYS.join(', ')})`,
          );
        else if (!days.includes(canonical)) days.push(canonical);
      });
    }
    const timezone = raw.timezone ?? this.dialect.defaultTimezone;
    if (timezone !== undefined && (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone))) {
      this.problems.error(
        childPath(path, 'timezone'),
        `timezone must be an IANA zone such as Europe/London (got ${describe(timezone)})`,
      );
      ok = false;
    }
    const uuid = this.uuid(raw.uuid, childPath(path, 'uuid'));
    if (!ok || start === undefined || end === undefined || typeof name !== 'string') return undefined;
    const schedule: ScheduleDocument = { name, start, end, days };
    if (uuid) schedule.uuid = uuid;
    if (typeof timezone === 'string') schedule.timezone = timezone;
    return schedule;
  }
}

export function validateRuleSet(raw: unknown, dialect: Dialect, problems: Problems): RuleSetDocument {
  return new Validator(dialect, problems).ruleSet(raw);
}
