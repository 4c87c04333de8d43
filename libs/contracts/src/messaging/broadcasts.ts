/**
 * Core NATS subjects that every replica of a service hears (no queue group): notices that shared
 * state changed, so each replica reloads it. Prefixed like every other subject (`SubjectSpace.exact`).
 */
export const BroadcastSubjects = {
  /** A classifier rule set or lookup table was saved or rolled back: reload from Postgres. */
  ClassifierRulesChanged: 'broadcast.classifier.rules-changed',
  /** The correlation (incident) rule set was saved or rolled back: reload it. */
  IncidentRulesChanged: 'broadcast.correlator.incident-rules-changed',
  /** A notifier object (user, channel, schedule, policy, routing tree) was saved or deleted: reload. */
  NotifierConfigChanged: 'broadcast.notifier.config-changed',
} as const;
export type BroadcastSubject = (typeof BroadcastSubjects)[keyof typeof BroadcastSubjects];

/** What changed; replicas reload everything newer than what they hold, so a lost notice costs only time. */
export interface RulesChangedV1 {
  schema: 'vigil.classifier.rules-changed/v1';
  kind: 'rule_set' | 'lookup_table';
  /** The lookup table's name; the rule set is one. */
  name?: string;
  version: number;
  changedAt: string;
}

/** The correlation rule set changed; replicas holding an older version reload it. */
export interface IncidentRulesChangedV1 {
  schema: 'vigil.correlator.incident-rules-changed/v1';
  version: number;
  changedAt: string;
}

/** The notifier's configuration changed; replicas holding an older version reload it. */
export interface NotifierConfigChangedV1 {
  schema: 'vigil.notifier.config-changed/v1';
  version: number;
  changedAt: string;
}
