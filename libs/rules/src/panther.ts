import { normalizeSeverity, SEVERITY_RANK, type Severity } from '@vigil/contracts';
import { stringify } from 'yaml';
import { pantherDialect, PANTHER_FIELD_ALIASES, PANTHER_INPUT_PREFIXES } from './dialect';
import { CORE_FIELDS } from './fields';
import type { OneOrMany, RuleDocument, RuleSetDocument, SelectorSet } from './document';
import { escapeRegex, isRegexLiteral } from './regex';
import { parseWithDialect, ParseResult } from './parse';

export interface PantherImportOptions {
  /** The zone Panther's server ran in, given to schedules (Panther had none of its own). Default UTC. */
  timezone?: string;
}

/**
 * A Panther `server.rules.yml` (YAML with `!!js/regexp` tags or `"/re/flags"` strings) as a Vigil
 * document: Panther's field names are translated (see PANTHER_FIELD_ALIASES; other unknown fields
 * become labels, `input.x` becomes `attributes.x`), and the few values Panther read unusually are
 * imported with Panther's meaning and a warning.
 */
export function parsePantherRules(text: string, options: PantherImportOptions = {}): ParseResult {
  return parseWithDialect({ text, format: 'yaml' }, pantherDialect(options.timezone));
}

export interface PantherExport {
  text: string;
  /** What could not be said in Panther's language, by rule; also written as comments atop `text`. */
  notExported: string[];
}

/** Vigil fields whose Panther name differs (the reverse of the import aliases). */
const EXPORT_NAMES: Readonly<Record<string, string>> = {
  fingerprint: 'identifier',
  type: 'tag',
  source: 'agent',
  severity_rank: 'severity',
};

/** Panther names an exported label must not take, or it would be read back as another field. */
const PANTHER_RESERVED = new Set<string>([...Object.keys(PANTHER_FIELD_ALIASES), ...CORE_FIELDS]);

class Exporter {
  readonly notExported: string[] = [];

  constructor(private where: string) {}

  at(where: string): this {
    this.where = where;
    return this;
  }

  lose(what: string): void {
    this.notExported.push(`${this.where}: ${what}`);
  }

  /** A field as Panther names it, or undefined when Panther has no name for it. */
  field(name: string): string | undefined {
    if (Object.hasOwn(EXPORT_NAMES, name)) return EXPORT_NAMES[name];
    if (name.startsWith('labels.')) {
      const key = name.slice('labels.'.length);
      if (PANTHER_RESERVED.has(key) || PANTHER_INPUT_PREFIXES.some((prefix) => key.startsWith(prefix))) {
        this.lose(`${name} would read back as another field`);
        return undefined;
      }
      return key;
    }
    if (name.startsWith('attributes.')) return `input.${name.slice('attributes.'.length)}`;
    return name;
  }

  template(text: string): string | undefined {
    if (text.includes('{{') || text.includes('}}')) {
      this.lose(`template "${text}" has literal braces, which Panther cannot write`);
      return undefined;
    }
    let lost = false;
    const mapped = text.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
      const trimmed = name.trim();
      if (/^match\.\d+$/.test(trimmed)) return whole;
      if (trimmed === 'severity') {
        this.lose(`template "${text}": Panther renders {severity} as a number, Vigil as a name`);
        lost = true;
        return whole;
      }
      const field = this.field(trimmed);
      if (field === undefined) lost = true;
      return `{${field ?? trimmed}}`;
    });
    return lost ? undefined : mapped;
  }

  severityNumber(value: string | number): number | undefined {
    const severity = normalizeSeverity(value);
    return severity === undefined ? undefined : SEVERITY_RANK[severity];
  }

  /** Selectors in Panther's form; undefined when a selector has no Panther equivalent. */
  selectors(set: SelectorSet): Record<string, unknown> | undefined {
    const out: Record<string, Record<string, unknown>> = {};
    const put = (selector: string, field: string, value: unknown) => {
      out[selector] ??= {};
      out[selector][field] = value;
    };
    let ok = true;
    for (const [key, value] of Object.entries(set) as [keyof SelectorSet, unknown][]) {
      switch (key) {
        case 'match':
        case 'starts_with':
        case 'ends_with':
        case 'equals':
        case 'less_than':
        case 'greater_than':
          for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
            const textual = key === 'match' || key === 'starts_with' || key === 'ends_with';
            if (textual && name === 'severity') {
              this.lose(`${key} on severity: Panther's severity is a number, Vigil's a name`);
              ok = false;
              continue;
            }
            const field = this.field(name);
            if (field === undefined) ok = false;
            else {
              const numeric =
                name === 'severity' && (key === 'equals' || key === 'less_than' || key === 'greater_than');
              put(key, field, numeric ? this.severityValues(v as OneOrMany<string | number>) : v);
            }
          }
          break;
        case 'labels':
          for (const [labelKey, v] of Object.entries(value as Record<string, OneOrMany<string>>)) {
            const field = this.field(`labels.${labelKey}`);
            if (field === undefined) {
              ok = false;
              continue;
            }
            const values = Array.isArray(v) ? v : [v];
            if (values.every((x) => !isRegexLiteral(x))) put('equals', field, v);
            else
              put(
                'match',
                field,
                values.map((x) => (isRegexLiteral(x) ? x : `/^${escapeRegex(x)}$/`)),
              );
          }
          break;
        case 'field_exists':
        case 'field_missing': {
          const names = Array.isArray(value) ? (value as string[]) : [value as string];
          if (names.length !== 1) {
            this.lose(`${key} with several fields (Panther takes one)`);
            ok = false;
            break;
          }
          const field = this.field(names[0]);
          if (field === undefined) ok = false;
          else (out as Record<string, unknown>)[key] = field;
          break;
        }
        case 'schedule':
        case 'none':
          (out as Record<string, unknown>)[key] = value;
          break;
        case 'all':
          if (value === true) (out as Record<string, unknown>).all = true;
          else {
            this.lose('all: [...] (a list of selector sets) has no Panther equivalent');
            ok = false;
          }
          break;
        case 'any':
        case 'not':
          this.lose(`${key}: has no Panther equivalent`);
          ok = false;
          break;
      }
    }
    return ok ? out : undefined;
  }

  private severityValues(value: OneOrMany<string | number>): OneOrMany<number | string> {
    const one = (v: string | number) => this.severityNumber(v) ?? v;
    return Array.isArray(value) ? value.map(one) : one(value);
  }

  /** A rule's actions in Panther's form, in order; lost actions are reported and left out. */
  actions(rule: RuleDocument): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const set: Record<string, unknown> = {};
    const addSet = (field: string, value: unknown) => {
      set[field] = value;
      if (!('set' in out)) out.set = set;
    };
    for (const [key, value] of Object.entries(rule)) {
      switch (key) {
        case 'set':
          for (const [name, v] of Object.entries(value as Record<string, string | number>)) {
            const field = this.field(name);
            if (field === undefined) continue;
            if (name === 'severity') {
              const rank = this.severityNumber(v);
              if (rank !== undefined) addSet(field, rank);
              else {
                const t = this.template(String(v));
                if (t !== undefined) addSet(field, t);
              }
              continue;
            }
            const t = this.template(String(v));
            if (t !== undefined) addSet(field, t);
          }
          break;
        case 'severity':
          addSet('severity', SEVERITY_RANK[value as Severity]);
          break;
        case 'category':
        case 'priority':
        case 'impact':
          addSet(key, value);
          break;
        case 'owner':
        case 'team':
        case 'service':
        case 'environment':
        case 'fingerprint': {
          const field = this.field(key);
          const t = this.template(value as string);
          if (field !== undefined && t !== undefined) addSet(field, t);
          break;
        }
        case 'add_labels':
          for (const [labelKey, v] of Object.entries(value as Record<string, string>)) {
            const field = this.field(`labels.${labelKey}`);
            const t = this.template(v);
            if (field !== undefined && t !== undefined) addSet(field, t);
          }
          break;
        case 'replace': {
          const list = Array.isArray(value) ? value : [value];
          const mapped = list.flatMap((r: { field: string; this: string; with: string }) => {
            const field = this.field(r.field);
            return field === undefined ? [] : [{ field, this: r.this, with: r.with }];
          });
          if (mapped.length) out.replace = Array.isArray(value) ? mapped : mapped[0];
          break;
        }
        case 'discard':
        case 'stop':
        case 'stop_rule_set':
          out[key] = true;
          break;
        case 'remove_labels':
          this.lose('remove_labels has no Panther equivalent');
          break;
        case 'lookup':
          this.lose('lookup (lookup tables) has no Panther equivalent');
          break;
        default:
          break;
      }
    }
    return out;
  }

  rule(rule: RuleDocument, where: string): Record<string, unknown> {
    this.at(`${where} rule "${rule.name}"`);
    const out: Record<string, unknown> = { name: rule.name };
    if (rule.uuid) out.uuid = rule.uuid;
    if (rule.description !== undefined) this.lose('description (Panther rules have none)');
    const selectors = this.selectors(rule);
    let disabled = rule.skip === true;
    if (selectors === undefined) {
      this.lose(
        'exported disabled (skip: true) with none: true, since a partial selector would select more events',
      );
      Object.assign(out, { none: true });
      disabled = true;
    } else {
      Object.assign(out, selectors);
    }
    const actions = this.actions(rule);
    Object.assign(out, actions);
    if (Object.keys(actions).length === 0) disabled = true;
    if (disabled) out.skip = true;
    return out;
  }
}

/**
 * A document as Panther's `server.rules.yml`. Everything Panther can express is exported so that
 * `parsePantherRules` gives back the same document; what it cannot (`any`, `not`, list-form `all`,
 * `lookup`, `remove_labels`, descriptions, schedule zones, literal braces) is listed in
 * `notExported` and in comments at the top. A rule whose selectors cannot be expressed is exported
 * disabled, never with a broader selector.
 */
export function exportPantherRulesWithReport(document: RuleSetDocument): PantherExport {
  const exporter = new Exporter('globals');
  const globals = document.globals.map((rule) => exporter.rule(rule, 'globals'));
  const groups: Record<string, unknown> = { _order: document.groups.map((group) => group.name) };
  for (const group of document.groups) {
    exporter.at(`group "${group.name}" selector`);
    let select = exporter.selectors(group.select);
    if (select === undefined) {
      exporter.lose('exported as none: true, since a partial selector would select more events');
      select = { none: true };
    }
    groups[group.name] = {
      ...(group.uuid ? { uuid: group.uuid } : {}),
      select,
      rules: group.rules.map((rule) => exporter.rule(rule, `group "${group.name}"`)),
    };
  }
  const schedules = document.schedules.map((schedule) => {
    if (schedule.timezone !== undefined) {
      exporter
        .at(`schedule "${schedule.name}"`)
        .lose(`timezone ${schedule.timezone} (Panther used its server's zone)`);
    }
    return {
      name: schedule.name,
      ...(schedule.uuid ? { uuid: schedule.uuid } : {}),
      start: schedule.start,
      end: schedule.end,
      days: schedule.days,
    };
  });
  const file = { globals: { rules: globals }, groups, schedules, metadata: { ...(document.metadata ?? {}) } };
  const body = stringify(JSON.parse(JSON.stringify(file)), { lineWidth: 0 });
  const header = exporter.notExported.length
    ? `# Exported from Vigil. Not expressible in Panther, left out:\n${exporter.notExported.map((line) => `#  - ${line}`).join('\n')}\n`
    : '';
  return { text: header + body, notExported: exporter.notExported };
}

export function exportPantherRules(document: RuleSetDocument): string {
  return exportPantherRulesWithReport(document).text;
}
