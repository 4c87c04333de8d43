import {
  AcceptedEventV1,
  Attributes,
  Category,
  ClassifiedEventV1,
  DEFAULT_CATEGORY,
  DEFAULT_IMPACT,
  Impact,
  Labels,
  Priority,
  SchemaIds,
  Severity,
} from '@vigil/contracts';
import { priorityOf } from './priority';
import type { FieldChange, RuleTraceEntry } from './trace';

// Bound once at load: another module's exports are reached through getters in compiled code.
const CLASSIFIED_SCHEMA = SchemaIds.ClassifiedEventV1;
const DEFAULT_CATEGORY_ = DEFAULT_CATEGORY;
const DEFAULT_IMPACT_ = DEFAULT_IMPACT;
const priorityFor = priorityOf;

/**
 * The event while rules run: mutable, with labels and attributes copied only when a rule first
 * writes them, so the common case (a few fields set) allocates little.
 */
export class WorkingEvent {
  node: string;
  type: string;
  summary: string;
  severity: Severity;
  fingerprint: string;
  category: Category | undefined;
  service: string | undefined;
  environment: string | undefined;
  team: string | undefined;
  owner: string | undefined;
  impact: Impact | undefined;
  /** Only an explicit choice; otherwise priority follows severity × impact at the end. */
  priority: Priority | undefined;
  group: string | undefined;
  labels: Labels;
  attributes: Attributes;
  private labelsOwned = false;
  private attributesOwned = false;

  /**
   * The captures of the last `match` that succeeded anywhere in this run, as Panther keeps them on
   * the event: `{match.N}` can refer to a match of an earlier rule, or of a rule whose other
   * selectors then failed.
   */
  captures: readonly (string | undefined)[] | null = null;

  stopped = false;
  ruleSetStopped = false;
  discarded = false;
  readonly matchedRules: string[] = [];

  /** Set only by `explain`: the changes and remarks of the rule now running. */
  changes: FieldChange[] | undefined;
  notes: string[] | undefined;
  trace: RuleTraceEntry[] | undefined;

  constructor(readonly original: AcceptedEventV1) {
    this.node = original.node;
    this.type = original.type;
    this.summary = original.summary;
    this.severity = original.severity;
    this.fingerprint = original.fingerprint;
    this.category = original.category ?? undefined;
    this.service = original.service ?? undefined;
    this.environment = original.environment ?? undefined;
    this.labels = original.labels;
    this.attributes = original.attributes;
  }

  get source(): string {
    return this.original.source;
  }

  currentPriority(): Priority {
    return this.priority ?? priorityFor(this.severity, this.impact ?? DEFAULT_IMPACT_);
  }

  label(key: string): string | undefined {
    return Object.hasOwn(this.labels, key) ? this.labels[key] : undefined;
  }

  /** Labels to write into; a null-prototype copy, so a key such as `__proto__` is just a key. */
  ownLabels(): Labels {
    if (!this.labelsOwned) {
      this.labels = Object.assign(Object.create(null) as Labels, this.labels);
      this.labelsOwned = true;
    }
    return this.labels;
  }

  ownAttributes(): Attributes {
    if (!this.attributesOwned) {
      this.attributes = structuredClone(this.attributes);
      this.attributesOwned = true;
    }
    return this.attributes;
  }

  note(text: string): void {
    this.notes?.push(text);
  }

  changed(field: string, from: unknown, to: unknown): void {
    this.changes?.push({ field, from, to });
  }

  /** The classified event: complete and valid whatever the rules did, since every write was checked. */
  finish(meta: { ruleSet: string; version: string }, classifiedAt: string): ClassifiedEventV1 {
    const o = this.original;
    const event: ClassifiedEventV1 = {
      schema: CLASSIFIED_SCHEMA,
      id: o.id,
      source: o.source,
      node: this.node,
      type: this.type,
      summary: this.summary,
      severity: this.severity,
      occurredAt: o.occurredAt,
      receivedAt: o.receivedAt,
      labels: this.labelsOwned ? { ...this.labels } : this.labels,
      attributes: this.attributes,
      fingerprint: this.fingerprint,
      origin: o.origin,
      category: this.category ?? DEFAULT_CATEGORY_,
      priority: this.currentPriority(),
      impact: this.impact ?? DEFAULT_IMPACT_,
      classifiedAt,
      classification: {
        ruleSet: meta.ruleSet,
        ruleSetVersion: meta.version,
        matchedRules: this.matchedRules,
      },
    };
    if (o.producerId !== undefined && o.producerId !== null) event.producerId = o.producerId;
    if (this.service !== undefined) event.service = this.service;
    if (this.environment !== undefined) event.environment = this.environment;
    if (this.team !== undefined) event.team = this.team;
    if (this.owner !== undefined) event.owner = this.owner;
    return event;
  }
}
