/** One field a rule changed. Values are as the event holds them (`undefined` when absent). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** `globals` or `group:<name>`. */
export type RuleLocation = 'globals' | `group:${string}`;

/** What ended processing early, or `completed` when every rule set ran to its end. */
export type StopReason = 'completed' | 'stop' | 'discard';

/**
 * One step of a dry run: a rule or group that matched, what it changed and anything worth knowing
 * (a lookup miss, a value refused). The last entry is always `end`, saying where processing stopped
 * and why.
 */
export type RuleTraceEntry =
  | {
      kind: 'rule';
      id: string;
      name: string;
      location: RuleLocation;
      changes: FieldChange[];
      notes: string[];
      /** Set when this rule ended processing: `stop_rule_set` ends only its own rule set. */
      stopped?: 'stop' | 'stop_rule_set' | 'discard';
    }
  | { kind: 'group'; name: string; uuid?: string; changes: FieldChange[]; notes: string[] }
  | { kind: 'end'; reason: StopReason; by?: { id: string; name: string; location: RuleLocation } };
