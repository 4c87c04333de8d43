import type { AcceptedEventV1, ClassifiedEventV1 } from '@vigil/contracts';
import { Act, ActionContext, compileActions } from './actions';
import { VIGIL_DIALECT } from './dialect';
import type { ActionSet, RuleDocument, RuleSetDocument, SelectorSet } from './document';
import { isActionKey, isSelectorKey } from './document';
import { Problems, RuleError } from './errors';
import type { LookupTable } from './lookup';
import { compileSchedule, CompiledSchedule } from './schedule';
import { compileSelectorSet, SelectorEnvironment, Test } from './selectors';
import { toRuleSetFile } from './serialise';
import type { RuleLocation, RuleTraceEntry } from './trace';
import { validateRuleSet } from './validate';
import { WorkingEvent } from './working-event';

export interface RuleInfo {
  /** The rule's uuid, else `<location>/<name>` (with `#2`, `#3` for repeated names there). */
  id: string;
  name: string;
  location: RuleLocation;
  skip: boolean;
  uuid?: string;
}

export interface ClassifyContext {
  now: Date;
  tables: ReadonlyMap<string, LookupTable>;
}

export interface Classification {
  /** A rule discarded the event; `event` is still complete, as it stood when processing ended. */
  discarded: boolean;
  event: ClassifiedEventV1;
  matchedRules: string[];
  /** The last group whose selector matched; the event contract has no field for it. */
  group?: string;
}

export type Explanation = Classification & { trace: RuleTraceEntry[] };

/** Thrown only for a document that did not come from the parser and is not valid. */
export class InvalidRuleSetError extends Error {
  constructor(readonly errors: RuleError[]) {
    super(`invalid rule set: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
}

interface CompiledRule {
  readonly info: RuleInfo;
  readonly test: Test;
  readonly actions: readonly Act[];
}

interface CompiledGroup {
  readonly name: string;
  readonly uuid: string | undefined;
  readonly test: Test;
  readonly rules: readonly CompiledRule[];
}

const CAPTURE_PLACEHOLDER = /\{\s*match\.\d+\s*\}/;

function selectorsOf(rule: RuleDocument): SelectorSet {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule)) if (isSelectorKey(key)) set[key] = value;
  return set;
}

function actionsOf(rule: RuleDocument): ActionSet {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule)) if (isActionKey(key)) set[key] = value;
  return set;
}

/** Templates are the only readers of captures; without any, matching can use the cheaper `test`. */
function usesCaptures(document: RuleSetDocument): boolean {
  const templates: string[] = [];
  for (const rule of [...document.globals, ...document.groups.flatMap((group) => group.rules)]) {
    templates.push(...Object.values(rule.set ?? {}).map(String), ...Object.values(rule.add_labels ?? {}));
    for (const key of ['owner', 'team', 'service', 'environment', 'fingerprint'] as const) {
      const value = rule[key];
      if (value !== undefined) templates.push(value);
    }
    const lookups = rule.lookup === undefined ? [] : Array.isArray(rule.lookup) ? rule.lookup : [rule.lookup];
    templates.push(...lookups.map((lookup) => lookup.key));
  }
  return templates.some((text) => CAPTURE_PLACEHOLDER.test(text));
}

export class CompiledRuleSet {
  readonly rules: readonly RuleInfo[];
  /** Tables the rules look up: the service can tell whether all are loaded before deploying. */
  readonly lookupTables: readonly string[];
  readonly groups: readonly string[];
  private readonly globals: readonly CompiledRule[];
  private readonly compiledGroups: readonly CompiledGroup[];
  private readonly meta: { ruleSet: string; version: string };

  constructor(
    readonly name: string,
    readonly version: string,
    document: RuleSetDocument,
  ) {
    this.meta = { ruleSet: name, version };
    const schedules = new Map<string, CompiledSchedule>(
      document.schedules.map((schedule) => [schedule.name, compileSchedule(schedule)]),
    );
    const env: SelectorEnvironment = { captures: usesCaptures(document), schedules };
    const infos: RuleInfo[] = [];
    const usedIds = new Map<string, number>();
    const compileRule = (rule: RuleDocument, location: RuleLocation): CompiledRule => {
      let id = rule.uuid;
      if (id === undefined) {
        const base = `${location}/${rule.name}`;
        const seen = (usedIds.get(base) ?? 0) + 1;
        usedIds.set(base, seen);
        id = seen === 1 ? base : `${base}#${seen}`;
      }
      const info: RuleInfo = {
        id,
        name: rule.name,
        location,
        skip: rule.skip === true,
        ...(rule.uuid ? { uuid: rule.uuid } : {}),
      };
      infos.push(info);
      return {
        info,
        test: compileSelectorSet(selectorsOf(rule), env),
        actions: compileActions(actionsOf(rule)),
      };
    };
    this.globals = document.globals.map((rule) => compileRule(rule, 'globals'));
    this.compiledGroups = document.groups.map((group) => ({
      name: group.name,
      uuid: group.uuid,
      test: compileSelectorSet(group.select, env),
      rules: group.rules.map((rule) => compileRule(rule, `group:${group.name}`)),
    }));
    this.rules = infos;
    this.groups = document.groups.map((group) => group.name);
    const tables = new Set<string>();
    for (const rule of [...document.globals, ...document.groups.flatMap((group) => group.rules)]) {
      const lookups =
        rule.lookup === undefined ? [] : Array.isArray(rule.lookup) ? rule.lookup : [rule.lookup];
      for (const lookup of lookups) tables.add(lookup.table);
    }
    this.lookupTables = [...tables];
  }

  classify(event: AcceptedEventV1, context: ClassifyContext): Classification {
    const working = new WorkingEvent(event);
    this.run(working, context);
    return this.result(working, context);
  }

  /** A dry run: the same classification, with each rule and group that matched and what it did. */
  explain(event: AcceptedEventV1, context: ClassifyContext): Explanation {
    const working = new WorkingEvent(event);
    const trace: RuleTraceEntry[] = [];
    working.trace = trace;
    const end = this.run(working, context);
    trace.push(end);
    return { ...this.result(working, context), trace };
  }

  private lastNow = Number.NaN;
  private lastTimestamp = '';

  /** A batch shares one `now`: format it once. */
  private timestamp(now: Date): string {
    const ms = now.getTime();
    if (ms !== this.lastNow) {
      this.lastTimestamp = now.toISOString();
      this.lastNow = ms;
    }
    return this.lastTimestamp;
  }

  private result(working: WorkingEvent, context: ClassifyContext): Classification {
    const classification: Classification = {
      discarded: working.discarded,
      event: working.finish(this.meta, this.timestamp(context.now)),
      matchedRules: [...working.matchedRules],
    };
    if (working.group !== undefined) classification.group = working.group;
    return classification;
  }

  /**
   * Panther's order (PC:src/event_rules.coffee `run`, groups.coffee, rule_set.coffee): globals, then
   * every group in order — a group whose selector matches sets `group` and runs its rules, and later
   * groups still run, so the last matching group wins. The stop flags are looked at after a rule
   * or group has run. One deliberate difference: Panther's `run` went on to the groups without
   * looking at the flag, so after a global `stop` or `discard` the first group was still tried and
   * its first rule could run (and undo a discard); here a stop in the globals ends processing.
   * `stop_rule_set` ends only the rule set it was set in.
   */
  private run(working: WorkingEvent, context: ActionContext): Extract<RuleTraceEntry, { kind: 'end' }> {
    let stoppedBy: RuleInfo | undefined;
    const runRules = (rules: readonly CompiledRule[]) => {
      working.ruleSetStopped = false;
      for (const rule of rules) {
        if (!rule.info.skip && rule.test(working, context)) {
          const wasStopped = working.stopped;
          this.fire(rule, working, context);
          if (working.stopped && !wasStopped) stoppedBy = rule.info;
        }
        if (working.stopped || working.ruleSetStopped) break;
      }
    };
    runRules(this.globals);
    for (const group of working.stopped ? [] : this.compiledGroups) {
      if (group.test(working, context)) {
        const previous = working.group;
        working.group = group.name;
        working.trace?.push({
          kind: 'group',
          name: group.name,
          ...(group.uuid ? { uuid: group.uuid } : {}),
          changes: previous === group.name ? [] : [{ field: 'group', from: previous, to: group.name }],
          notes: [],
        });
        runRules(group.rules);
      }
      if (working.stopped) break;
    }
    const reason = working.discarded ? 'discard' : working.stopped ? 'stop' : 'completed';
    return stoppedBy && reason !== 'completed'
      ? { kind: 'end', reason, by: { id: stoppedBy.id, name: stoppedBy.name, location: stoppedBy.location } }
      : { kind: 'end', reason };
  }

  private fire(rule: CompiledRule, working: WorkingEvent, context: ActionContext): void {
    working.matchedRules.push(rule.info.id);
    if (!working.trace) {
      for (const act of rule.actions) act(working, context);
      return;
    }
    const before = { stopped: working.stopped, discarded: working.discarded };
    working.changes = [];
    working.notes = [];
    for (const act of rule.actions) act(working, context);
    const stopped =
      working.discarded && !before.discarded
        ? 'discard'
        : working.stopped && !before.stopped
          ? 'stop'
          : working.ruleSetStopped
            ? 'stop_rule_set'
            : undefined;
    working.trace.push({
      kind: 'rule',
      id: rule.info.id,
      name: rule.info.name,
      location: rule.info.location,
      changes: working.changes,
      notes: working.notes,
      ...(stopped ? { stopped } : {}),
    });
    working.changes = undefined;
    working.notes = undefined;
  }
}

/**
 * Compiles a document: regexes, templates, field accessors and schedule zones are all prepared
 * here, so classifying does no parsing. A document from `parseRuleSet` always compiles; one built
 * by hand is validated first and refused with `InvalidRuleSetError`.
 */
export function compileRuleSet(
  document: RuleSetDocument,
  meta: { name: string; version: string },
): CompiledRuleSet {
  const problems = new Problems();
  validateRuleSet(JSON.parse(JSON.stringify(toRuleSetFile(document))) as unknown, VIGIL_DIALECT, problems);
  if (problems.hasErrors) throw new InvalidRuleSetError(problems.errors());
  return new CompiledRuleSet(meta.name, meta.version, document);
}
