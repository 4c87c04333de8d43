import { FieldError, Parsed, isRecord } from './field-errors';
import { LabelSet, Matcher, labelValue, matchesAll, parseMatchers } from './matchers';

export interface InhibitRule {
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

export interface AlertLike {
  readonly id: string;
  readonly fields: LabelSet;
}

export interface Inhibition {
  ruleIndex: number;
  sourceId: string;
}

export function parseInhibitRule(input: unknown): Parsed<'rule', InhibitRule> {
  if (!isRecord(input))
    return { ok: false, errors: [{ field: '', reason: 'an inhibition rule must be an object' }] };
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if (!['sourceMatchers', 'targetMatchers', 'equal'].includes(key)) {
      errors.push({ field: key, reason: 'unknown field (allowed: sourceMatchers, targetMatchers, equal)' });
    }
  }
  const source = parseMatchers(input.sourceMatchers, 'sourceMatchers');
  const target = parseMatchers(input.targetMatchers, 'targetMatchers');
  if (!source.ok) errors.push(...source.errors);
  if (!target.ok) errors.push(...target.errors);
  const equal = input.equal ?? [];
  if (!Array.isArray(equal) || !equal.every((name): name is string => typeof name === 'string')) {
    errors.push({ field: 'equal', reason: 'must be a list of label names' });
  }
  if (!source.ok || !target.ok || errors.length > 0 || !Array.isArray(equal)) return { ok: false, errors };
  return {
    ok: true,
    rule: { sourceMatchers: source.matchers, targetMatchers: target.matchers, equal: equal.map(String) },
  };
}

/**
 * Alertmanager's `InhibitRule.Mutes`: the target must match the target matchers, and some other
 * active alert must match the source matchers with the same value for every `equal` label (a label
 * missing on both sides reads as "" on both, so it is equal). When the target also matches the
 * source side, sources that also match the target side are skipped (Alertmanager's
 * excludeTwoSidedMatch), so two alerts matching both sides cannot silence each other.
 * `activeAlerts` must hold only active (firing) alerts; the first rule, then the first source, wins.
 */
export function inhibitedBy(
  target: AlertLike,
  activeAlerts: readonly AlertLike[],
  rules: readonly InhibitRule[],
): Inhibition | undefined {
  for (const [ruleIndex, rule] of rules.entries()) {
    if (!matchesAll(rule.targetMatchers, target.fields)) continue;
    const twoSided = matchesAll(rule.sourceMatchers, target.fields);
    const source = activeAlerts.find(
      (alert) =>
        alert.id !== target.id &&
        matchesAll(rule.sourceMatchers, alert.fields) &&
        rule.equal.every((name) => labelValue(alert.fields, name) === labelValue(target.fields, name)) &&
        !(twoSided && matchesAll(rule.targetMatchers, alert.fields)),
    );
    if (source) return { ruleIndex, sourceId: source.id };
  }
  return undefined;
}
