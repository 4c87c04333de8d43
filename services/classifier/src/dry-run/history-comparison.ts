import type { AcceptedEventV1, ClassifiedEventV1 } from '@vigil/contracts';

/** The fields of a classification an operator cares about when a rule set changes. */
export const COMPARED_FIELDS = [
  'category',
  'severity',
  'priority',
  'impact',
  'team',
  'owner',
  'group',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** What one rule set did to one event (the engine's `Classification`). */
export interface Outcome {
  discarded: boolean;
  event: ClassifiedEventV1;
  matchedRules: readonly string[];
  group?: string;
}

export interface RuleRef {
  id: string;
  name: string;
  location: string;
  skip?: boolean;
}

type Value = string | boolean | null;

export interface ChangeExample {
  eventId: string;
  node: string;
  summary: string;
  field: ComparedField | 'discarded';
  from: Value;
  to: Value;
}

export interface Transition {
  field: ComparedField | 'discarded';
  from: Value;
  to: Value;
  events: number;
}

export interface RuleHitComparison {
  id: string;
  name: string;
  location: string;
  /** Events of the window the rule matched under the active set (0 if it is new). */
  current: number;
  /** …and under the proposed set (0 if it is removed). */
  proposed: number;
}

export interface HistoryComparisonReport {
  events: number;
  /** Events whose outcome differs in any compared field, or in being discarded. */
  changed: number;
  categoryChanges: number;
  severityChanges: number;
  priorityChanges: number;
  impactChanges: number;
  teamChanges: number;
  ownerChanges: number;
  groupChanges: number;
  newlyDiscarded: number;
  noLongerDiscarded: number;
  /** The most frequent changes (`os → network`: 120 events), most frequent first. */
  transitions: Transition[];
  /** Every rule of either set with how many events it matched under each. */
  rules: RuleHitComparison[];
  /** Enabled rules of the proposed set that matched nothing in the window: typos, dead rules. */
  neverMatched: RuleRef[];
  /** Up to `MAX_EXAMPLES` changed events, at most `EXAMPLES_PER_TRANSITION` of each kind of change. */
  examples: ChangeExample[];
}

export const MAX_EXAMPLES = 100;
/** So one rule that moves thousands of events does not fill every example slot. */
export const EXAMPLES_PER_TRANSITION = 5;
export const MAX_TRANSITIONS = 50;

function valueOf(outcome: Outcome, field: ComparedField): Value {
  const value = field === 'group' ? outcome.group : outcome.event[field];
  return value ?? null;
}

/**
 * Compares what two rule sets make of the same events, one event at a time, keeping only counts,
 * a bounded set of examples and per-rule hits, so ten thousand events cost little memory.
 */
export class HistoryComparison {
  private events = 0;
  private changed = 0;
  private readonly fieldChanges = new Map<ComparedField, number>();
  private newlyDiscarded = 0;
  private noLongerDiscarded = 0;
  private readonly transitions = new Map<string, Transition>();
  private readonly examples: ChangeExample[] = [];
  private readonly currentHits = new Map<string, number>();
  private readonly proposedHits = new Map<string, number>();

  constructor(
    private readonly currentRules: readonly RuleRef[],
    private readonly proposedRules: readonly RuleRef[],
  ) {}

  add(event: AcceptedEventV1, current: Outcome, proposed: Outcome): void {
    this.events++;
    count(this.currentHits, current.matchedRules);
    count(this.proposedHits, proposed.matchedRules);

    if (current.discarded || proposed.discarded) {
      // A discarded event is never published, so its other fields no longer matter.
      if (current.discarded === proposed.discarded) return;
      this.changed++;
      if (proposed.discarded) this.newlyDiscarded++;
      else this.noLongerDiscarded++;
      this.note(event, 'discarded', current.discarded, proposed.discarded);
      return;
    }

    let differs = false;
    for (const field of COMPARED_FIELDS) {
      const from = valueOf(current, field);
      const to = valueOf(proposed, field);
      if (from === to) continue;
      differs = true;
      this.fieldChanges.set(field, (this.fieldChanges.get(field) ?? 0) + 1);
      this.note(event, field, from, to);
    }
    if (differs) this.changed++;
  }

  report(): HistoryComparisonReport {
    const changes = (field: ComparedField) => this.fieldChanges.get(field) ?? 0;
    return {
      events: this.events,
      changed: this.changed,
      categoryChanges: changes('category'),
      severityChanges: changes('severity'),
      priorityChanges: changes('priority'),
      impactChanges: changes('impact'),
      teamChanges: changes('team'),
      ownerChanges: changes('owner'),
      groupChanges: changes('group'),
      newlyDiscarded: this.newlyDiscarded,
      noLongerDiscarded: this.noLongerDiscarded,
      transitions: [...this.transitions.values()]
        .sort((a, b) => b.events - a.events)
        .slice(0, MAX_TRANSITIONS),
      rules: this.ruleHits(),
      neverMatched: this.proposedRules.filter((rule) => !rule.skip && !this.proposedHits.get(rule.id)),
      examples: this.examples,
    };
  }

  private note(event: AcceptedEventV1, field: ComparedField | 'discarded', from: Value, to: Value): void {
    const key = JSON.stringify([field, from, to]);
    let transition = this.transitions.get(key);
    if (!transition) {
      transition = { field, from, to, events: 0 };
      this.transitions.set(key, transition);
    }
    transition.events++;
    if (transition.events <= EXAMPLES_PER_TRANSITION && this.examples.length < MAX_EXAMPLES) {
      this.examples.push({ eventId: event.id, node: event.node, summary: event.summary, field, from, to });
    }
  }

  private ruleHits(): RuleHitComparison[] {
    const rules = new Map<string, RuleHitComparison>();
    for (const rule of [...this.currentRules, ...this.proposedRules]) {
      if (rules.has(rule.id)) continue;
      rules.set(rule.id, {
        id: rule.id,
        name: rule.name,
        location: rule.location,
        current: this.currentHits.get(rule.id) ?? 0,
        proposed: this.proposedHits.get(rule.id) ?? 0,
      });
    }
    return [...rules.values()];
  }
}

function count(hits: Map<string, number>, rules: readonly string[]): void {
  for (const rule of rules) hits.set(rule, (hits.get(rule) ?? 0) + 1);
}
