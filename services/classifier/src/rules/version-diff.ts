import type { RuleDocument, RuleSetDocument } from '@vigil/rules';
import { createTwoFilesPatch } from 'diff';

export interface DiffSide {
  label: string;
  text: string;
}

/** A unified diff, with three lines of context, of one rule set text against another. */
export function unifiedDiff(before: DiffSide, after: DiffSide): string {
  return createTwoFilesPatch(before.label, after.label, before.text, after.text, undefined, undefined, {
    context: 3,
  });
}

/** Lines added and removed in a unified diff (its `---`/`+++` header lines excluded). */
export function changedLines(patch: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of patch.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  return { added, removed };
}

/** A rule as the summary names it: its id as classified events report it, and where it lives. */
export interface RuleRef {
  /** The rule's uuid, else `<scope>/<name>` (`#2`, `#3` for a repeated name): the engine's rule id. */
  id: string;
  name: string;
  /** `globals` or `group:<name>`. */
  scope: string;
}

/** What changed between two rule sets, rule by rule: what a reviewer reads before the text diff. */
export interface RuleSetChanges {
  rulesAdded: RuleRef[];
  rulesRemoved: RuleRef[];
  /** Same id, different selectors, actions or options. */
  rulesChanged: RuleRef[];
  /** Scopes whose remaining rules run in a different order (order decides what wins). */
  reordered: string[];
  groupsAdded: string[];
  groupsRemoved: string[];
  /** Groups whose `select` changed. */
  groupsChanged: string[];
  /** Whether the groups are tried in a different order. */
  groupOrderChanged: boolean;
}

const GLOBALS = 'globals';

interface Located {
  ref: RuleRef;
  rule: RuleDocument;
}

/** Every rule by id, in evaluation order, with the ids the engine gives them. */
function rulesOf(document: RuleSetDocument): Map<string, Located> {
  const rules = new Map<string, Located>();
  const seen = new Map<string, number>();
  const add = (scope: string, rule: RuleDocument) => {
    let id = rule.uuid;
    if (id === undefined) {
      const base = `${scope}/${rule.name}`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      id = count === 1 ? base : `${base}#${count}`;
    }
    rules.set(id, { ref: { id, name: rule.name, scope }, rule });
  };
  for (const rule of document.globals) add(GLOBALS, rule);
  for (const group of document.groups) for (const rule of group.rules) add(`group:${group.name}`, rule);
  return rules;
}

function orderByScope(rules: Map<string, Located>, kept: (id: string) => boolean): Map<string, string[]> {
  const order = new Map<string, string[]>();
  for (const [id, { ref }] of rules) {
    if (!kept(id)) continue;
    order.set(ref.scope, [...(order.get(ref.scope) ?? []), id]);
  }
  return order;
}

/**
 * Compares two documents rule by rule. Key order counts as a change: actions run in the order they
 * are written, so reordering a rule's keys can change what it does.
 */
export function ruleSetChanges(before: RuleSetDocument, after: RuleSetDocument): RuleSetChanges {
  const changes: RuleSetChanges = {
    rulesAdded: [],
    rulesRemoved: [],
    rulesChanged: [],
    reordered: [],
    groupsAdded: [],
    groupsRemoved: [],
    groupsChanged: [],
    groupOrderChanged: false,
  };
  const beforeRules = rulesOf(before);
  const afterRules = rulesOf(after);
  for (const [id, { ref, rule }] of afterRules) {
    const previous = beforeRules.get(id);
    if (!previous) changes.rulesAdded.push(ref);
    else if (JSON.stringify(previous.rule) !== JSON.stringify(rule) || previous.ref.scope !== ref.scope) {
      changes.rulesChanged.push(ref);
    }
  }
  for (const [id, { ref }] of beforeRules) if (!afterRules.has(id)) changes.rulesRemoved.push(ref);
  const beforeOrder = orderByScope(beforeRules, (id) => afterRules.has(id));
  const afterOrder = orderByScope(afterRules, (id) => beforeRules.has(id));
  for (const [scope, ids] of afterOrder) {
    if ((beforeOrder.get(scope) ?? []).join('\n') !== ids.join('\n')) changes.reordered.push(scope);
  }

  const beforeGroups = new Map(before.groups.map((group) => [group.name, group]));
  const afterGroups = new Map(after.groups.map((group) => [group.name, group]));
  for (const [name, group] of afterGroups) {
    const previous = beforeGroups.get(name);
    if (!previous) changes.groupsAdded.push(name);
    else if (JSON.stringify(previous.select) !== JSON.stringify(group.select))
      changes.groupsChanged.push(name);
  }
  for (const name of beforeGroups.keys()) if (!afterGroups.has(name)) changes.groupsRemoved.push(name);
  const keptOrderBefore = before.groups.map((g) => g.name).filter((name) => afterGroups.has(name));
  const keptOrderAfter = after.groups.map((g) => g.name).filter((name) => beforeGroups.has(name));
  changes.groupOrderChanged = keptOrderBefore.join('\n') !== keptOrderAfter.join('\n');
  return changes;
}
