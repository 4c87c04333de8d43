import {
  CATEGORIES,
  IMPACTS,
  normalizeSeverity,
  PRIORITIES,
  SEVERITY_ALLOWED_DESCRIPTION,
} from '@vigil/contracts';
import type { Dialect } from './dialect';
import { ActionSet, LookupAction, OneOrMany, ReplaceAction, RuleDocument } from './document';
import type { Problems } from './errors';
import { FieldRef, fieldText, isWritable, labelKeyProblem } from './fields';
import { isRegexLiteral, parseRegexLiteral } from './regex';
import { childPath } from './source';
import { constantText, isConstant, parseTemplate, Template, templateText } from './template';
import { describe, enumValueOk, isObject, oneOrMany, setOwn, ValidationContext } from './validate-context';

export class ActionValidator {
  private readonly dialect: Dialect;
  private readonly problems: Problems;

  constructor(private readonly context: ValidationContext) {
    this.dialect = context.dialect;
    this.problems = context.problems;
  }

  /**
   * `true` sets a flag. Panther created the action whenever the key was present, so `discard: false`
   * discarded: imports keep that meaning (with a warning); Vigil's own files must say `true`.
   */
  flag(value: unknown, key: string, path: string, pantherTrueWhenPresent: boolean): boolean {
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

  action(rule: RuleDocument, key: string, raw: unknown, path: string): void {
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
        const lookups = oneOrMany(this.context, raw, path, (value, itemPath) =>
          this.lookupAction(value, itemPath),
        );
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
      if (target && !enumValueOk(this.context, target, text, path)) return undefined;
    }
    // A Panther template names Panther's fields; the document holds Vigil's.
    return this.dialect.panther ? templateText(template) : raw;
  }

  private template(raw: string, path: string): Template | undefined {
    const parsed = parseTemplate(raw, (name) => this.dialect.field(name, 'template', path, this.problems));
    if (parsed.ok) return parsed.template;
    this.problems.error(path, `template "${raw}": ${parsed.message}`);
    return undefined;
  }

  private replaceAction(raw: unknown, path: string): OneOrMany<ReplaceAction> | undefined {
    return oneOrMany(this.context, raw, path, (value, itemPath) => {
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
}
