import {
  AcceptedEventV1,
  ClassifiedEventV1,
  DEFAULT_CATEGORY,
  DEFAULT_IMPACT,
  SchemaIds,
} from '@vigil/contracts';
import { priorityOf } from '@vigil/rules';

/** The rule set name recorded on events classified without rules. */
export const DEFAULT_RULE_SET = 'default';

/**
 * Classification before the rules engine exists: the producer's category if it sent one, else
 * `operational`. Everything else passes through unchanged.
 */
export function classifyByDefault(event: AcceptedEventV1, now: Date): ClassifiedEventV1 {
  const { schema: _accepted, category, ...rest } = event;
  return {
    ...rest,
    schema: SchemaIds.ClassifiedEventV1,
    category: category ?? DEFAULT_CATEGORY,
    priority: priorityOf(rest.severity, DEFAULT_IMPACT),
    impact: DEFAULT_IMPACT,
    classifiedAt: now.toISOString(),
    classification: { ruleSet: DEFAULT_RULE_SET, matchedRules: [] },
  };
}
