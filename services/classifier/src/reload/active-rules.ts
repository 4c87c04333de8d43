import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import type { CompiledRuleSet, LookupTable } from '@vigil/rules';
import { Gauge } from 'prom-client';
import { emptyRuleSet, NO_VERSION } from './compile';

/** Everything one classification needs, frozen together: a batch never sees half a reload. */
export interface RulesSnapshot {
  readonly ruleSet: CompiledRuleSet;
  /** The rule set version it was compiled from; 0 for the empty rule set. */
  readonly version: number;
  readonly tables: ReadonlyMap<string, LookupTable>;
  readonly tableVersions: ReadonlyMap<string, number>;
}

/**
 * The rule set and lookup tables this replica classifies with. A reload builds a whole new snapshot
 * and swaps it in with one assignment, so a batch that took `current` before the swap finishes with
 * the set it started with, and the next batch gets the new one: nothing is dropped or done twice.
 */
@Injectable()
export class ActiveRules {
  private snapshot: RulesSnapshot = {
    ruleSet: emptyRuleSet(),
    version: NO_VERSION,
    tables: new Map(),
    tableVersions: new Map(),
  };
  private readonly versionGauge: Gauge;

  constructor(metrics: ServiceMetrics) {
    this.versionGauge = new Gauge({
      name: metrics.name('rule_set_version'),
      help: 'Version of the rule set this replica classifies with (0: none saved, the empty rule set).',
      registers: [metrics.registry],
    });
    this.versionGauge.set(NO_VERSION);
  }

  get current(): RulesSnapshot {
    return this.snapshot;
  }

  replace(next: RulesSnapshot): void {
    this.snapshot = next;
    this.versionGauge.set(next.version);
  }
}
