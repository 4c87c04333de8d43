import { AcceptedEventV1, ClassifiedEventV1, DEFAULT_CATEGORY, SchemaIds } from '@vigil/contracts';

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
    classifiedAt: now.toISOString(),
    classification: { ruleSet: DEFAULT_RULE_SET, matchedRules: [] },
  };
}
