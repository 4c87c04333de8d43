import type { FieldError, IncidentRuleV1 } from '@vigil/contracts';
import { IncidentRule, parseIncidentRule, storedRule } from '../domain/incidents';

/** A stored rule set's content: the rules as `IncidentRuleV1`, in order, as JSON. */
export function encodeRules(rules: readonly IncidentRuleV1[]): string {
  return JSON.stringify({ rules }, null, 2);
}

/**
 * Compiles a rule set's content. Saving validates, so a failure here means an older engine wrote
 * it; the caller keeps what it has rather than run without rules.
 */
export function decodeRules(
  content: string,
): { ok: true; stored: IncidentRuleV1[]; rules: IncidentRule[] } | { ok: false; errors: FieldError[] } {
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch (error) {
    return { ok: false, errors: [{ field: '', reason: `not JSON: ${String(error)}` }] };
  }
  const list = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) return { ok: false, errors: [{ field: 'rules', reason: 'must be a list' }] };
  const stored: IncidentRuleV1[] = [];
  const rules: IncidentRule[] = [];
  const errors: FieldError[] = [];
  list.forEach((item: unknown, i) => {
    const id = (item as { id?: unknown } | null)?.id;
    const parsed = parseIncidentRule(item, typeof id === 'string' ? id : '');
    if (!parsed.ok) errors.push(...parsed.errors.map((e) => ({ ...e, field: `rules[${i}].${e.field}` })));
    else {
      rules.push(parsed.rule);
      stored.push(storedRule(parsed.rule.id, parsed.rule, (item as IncidentRuleV1).matchers ?? []));
    }
  });
  return errors.length ? { ok: false, errors } : { ok: true, stored, rules };
}
