import type { Dialect } from './dialect';
import {
  GroupDocument,
  isActionKey,
  isSelectorKey,
  RULE_OPTION_KEYS,
  RuleDocument,
  RuleSetDocument,
} from './document';
import type { Problems } from './errors';
import { LEGACY_KEYS, legacyDedupe, legacyDiscard } from './panther-legacy';
import { childPath } from './source';
import { RULE_KEYS, suggestion } from './suggest';
import { ActionValidator } from './validate-actions';
import {
  describe,
  isObject,
  Raw,
  uniqueUuid,
  ValidationContext,
  validationContext,
} from './validate-context';
import { ScheduleValidator } from './validate-schedules';
import { SelectorValidator } from './validate-selectors';

/*
 * Plain values (from YAML or JSON) → a RuleSetDocument, collecting every problem with its path
 * rather than stopping at the first, so an editor can show them all at once.
 */

class RuleSetValidator {
  private readonly dialect: Dialect;
  private readonly problems: Problems;
  private readonly schedules: ScheduleValidator;
  private readonly selectors: SelectorValidator;
  private readonly actions: ActionValidator;

  constructor(private readonly context: ValidationContext) {
    this.dialect = context.dialect;
    this.problems = context.problems;
    this.schedules = new ScheduleValidator(context);
    this.selectors = new SelectorValidator(context);
    this.actions = new ActionValidator(context);
  }

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
    document.schedules = this.schedules.schedules(raw.schedules, 'schedules');
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
        group.select = this.selectors.selectorSet(select, selectPath, true);
      }
    } else if (Object.keys(inline).length > 0) {
      group.select = this.selectors.selectorSet(inline, path, true);
    } else {
      this.problems.error(path, `group "${name}" needs a selector (select: {...}, or e.g. all: true)`, 'key');
    }
    const uuid = uniqueUuid(this.context, raw.uuid, childPath(path, 'uuid'));
    if (uuid) group.uuid = uuid;
    group.rules = this.ruleSetRules(raw, path);
    return group;
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
    const uuid = uniqueUuid(this.context, raw.uuid, childPath(path, 'uuid'));
    const skip = this.actions.flag(raw.skip, 'skip', childPath(path, 'skip'), false);
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
      Object.assign(rule, this.selectors.selectorSet(selectorRaw, path, false));
    }
    for (const key of actionKeys) this.actions.action(rule, key, raw[key], childPath(path, key));
    // Panther counts `skip` as an action, so a disabled rule may have none.
    if (actionKeys.length === 0 && !skip) {
      this.problems.error(path, `rule "${name}" needs at least one action`);
    }
    return rule;
  }
}

export function validateRuleSet(raw: unknown, dialect: Dialect, problems: Problems): RuleSetDocument {
  return new RuleSetValidator(validationContext(dialect, problems)).ruleSet(raw);
}
