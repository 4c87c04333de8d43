import { Controller, Get } from '@nestjs/common';
import { hostname } from 'node:os';
import { ActiveRules } from '../reload/active-rules';
import { RuleHits } from './rule-hits';

export interface RuleHitsView {
  /** Counts are this replica's only; Prometheus' vigil_classifier_rule_hits_total sums replicas. */
  replica: string;
  since: string;
  ruleSetVersion: number;
  rules: { id: string; name: string; location: string; skip: boolean; hits: number }[];
  /** Rules that matched since start-up but are no longer in the active rule set. */
  retired: { id: string; hits: number }[];
}

@Controller('api/v1/rules/hits')
export class RuleHitsController {
  private readonly replica = `${hostname()}:${process.pid}`;

  constructor(
    private readonly hits: RuleHits,
    private readonly active: ActiveRules,
  ) {}

  @Get()
  list(): RuleHitsView {
    const { ruleSet, version } = this.active.current;
    const current = new Set(ruleSet.rules.map((rule) => rule.id));
    return {
      replica: this.replica,
      since: this.hits.since.toISOString(),
      ruleSetVersion: version,
      rules: ruleSet.rules.map((rule) => ({
        id: rule.id,
        name: rule.name,
        location: rule.location,
        skip: rule.skip,
        hits: this.hits.of(rule.id),
      })),
      retired: this.hits
        .ids()
        .filter((id) => !current.has(id))
        .map((id) => ({ id, hits: this.hits.of(id) })),
    };
  }
}
