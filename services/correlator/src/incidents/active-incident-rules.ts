import { Injectable } from '@nestjs/common';
import type { IncidentRuleV1 } from '@vigil/contracts';
import type { IncidentRule } from '../domain/incidents';

/** The correlation rules in force: one immutable snapshot, swapped whole by the reloader. */
export interface IncidentRulesSnapshot {
  /** 0: no rule set was ever saved. */
  readonly version: number;
  /** As stored (what the API shows), in order. */
  readonly stored: readonly IncidentRuleV1[];
  /** Compiled, in the same order. */
  readonly rules: readonly IncidentRule[];
}

@Injectable()
export class ActiveIncidentRules {
  current: IncidentRulesSnapshot = { version: 0, stored: [], rules: [] };

  replace(next: IncidentRulesSnapshot): void {
    this.current = next;
  }
}
