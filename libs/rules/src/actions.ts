import { asText, compileReader, compileWriter, removeLabel, writeLabel, Writer } from './access';
import type { ActionSet, LookupAction, OneOrMany, ReplaceAction } from './document';
import { FieldRef, parseFieldPath } from './fields';
import type { LookupTable } from './lookup';
import { isRegexLiteral, parseRegexLiteral } from './regex';
import { compileTemplate, Render } from './render';
import type { RunContext } from './selectors';
import { parseTemplate } from './template';
import type { WorkingEvent } from './working-event';

export interface ActionContext extends RunContext {
  readonly tables: ReadonlyMap<string, LookupTable>;
}

export type Act = (event: WorkingEvent, run: ActionContext) => void;

function field(name: string): FieldRef {
  const parsed = parseFieldPath(name);
  if (!parsed.ok) throw new Error(`compileRuleSet: ${parsed.message}`);
  return parsed.field;
}

export function template(text: string): Render {
  const parsed = parseTemplate(text, parseFieldPath);
  if (!parsed.ok) throw new Error(`compileRuleSet: template "${text}": ${parsed.message}`);
  return compileTemplate(parsed.template);
}

function many<T>(value: OneOrMany<T>): T[] {
  return Array.isArray(value) ? value : [value];
}

function setField(write: Writer, render: Render): Act {
  return (event) => write(event, render(event));
}

function replaceAction(replace: ReplaceAction): Act {
  const ref = field(replace.field);
  const read = compileReader(ref);
  const write = compileWriter(ref);
  let search: string | RegExp = replace.this;
  if (isRegexLiteral(replace.this)) {
    const parsed = parseRegexLiteral(replace.this, { stateless: false });
    if (!parsed.ok) throw new Error(`compileRuleSet: ${parsed.message}`);
    search = parsed.regex;
  }
  const replacement = replace.with;
  // Panther replaced in the text "undefined" when the field was absent; an absent field stays absent.
  return (event) => {
    const text = asText(read(event));
    if (text === undefined) return;
    write(event, text.replace(search, replacement));
  };
}

function lookupAction(lookup: LookupAction): Act {
  const key = template(lookup.key);
  const targets = Object.entries(lookup.set).map(([name, column]) => ({
    column,
    write: compileWriter(field(name)),
  }));
  const tableName = lookup.table;
  return (event, run) => {
    const table = run.tables.get(tableName);
    const wanted = key(event);
    if (!table) {
      event.note(`lookup ${tableName}: table not loaded; nothing changed`);
      return;
    }
    const row = table.rows.get(wanted);
    if (!row) {
      event.note(`lookup ${tableName}["${wanted}"]: no row; nothing changed`);
      return;
    }
    event.note(`lookup ${tableName}["${wanted}"]: found`);
    for (const { column, write } of targets) {
      if (Object.hasOwn(row, column)) write(event, row[column]);
      else event.note(`lookup ${tableName}["${wanted}"]: no column "${column}"`);
    }
  };
}

/** A rule's actions in the order they are written, as Panther runs them (all of them, even after a stop). */
export function compileActions(actions: ActionSet): Act[] {
  const compiled: Act[] = [];
  for (const key of Object.keys(actions) as (keyof ActionSet)[]) {
    switch (key) {
      case 'set':
        for (const [name, value] of Object.entries(actions.set ?? {})) {
          compiled.push(setField(compileWriter(field(name)), template(String(value))));
        }
        break;
      case 'replace':
        if (actions.replace) compiled.push(...many(actions.replace).map(replaceAction));
        break;
      case 'discard':
        compiled.push((event) => {
          event.discarded = true;
          event.stopped = true;
        });
        break;
      case 'stop':
        compiled.push((event) => (event.stopped = true));
        break;
      case 'stop_rule_set':
        compiled.push((event) => (event.ruleSetStopped = true));
        break;
      case 'severity':
      case 'category':
      case 'priority':
      case 'impact':
      case 'owner':
      case 'team':
      case 'service':
      case 'environment':
      case 'fingerprint': {
        const value = actions[key];
        if (value !== undefined) compiled.push(setField(compileWriter(field(key)), template(value)));
        break;
      }
      case 'add_labels':
        for (const [labelKey, value] of Object.entries(actions.add_labels ?? {})) {
          const render = template(value);
          compiled.push((event) => writeLabel(event, labelKey, render(event)));
        }
        break;
      case 'remove_labels': {
        const keys = actions.remove_labels ?? [];
        compiled.push((event) => keys.forEach((labelKey) => removeLabel(event, labelKey)));
        break;
      }
      case 'lookup':
        if (actions.lookup) compiled.push(...many(actions.lookup).map(lookupAction));
        break;
    }
  }
  return compiled;
}
