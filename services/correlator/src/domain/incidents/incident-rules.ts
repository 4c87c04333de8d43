import {
  INCIDENT_RESOLVE_POLICIES,
  INCIDENT_RULE_LIMITS,
  IncidentResolvePolicy,
  IncidentRuleV1,
} from '@vigil/contracts';
import { FieldError, isRecord, LabelSet, Matcher, matchesAll, parseMatchers, show } from '@vigil/matching';

/** A correlation rule ready to evaluate: matchers compiled, defaults filled in. */
export interface IncidentRule {
  readonly id: string;
  readonly name: string;
  readonly matchers: readonly Matcher[];
  readonly groupBy: readonly string[];
  readonly topology?: { readonly parentField: string; readonly childField: string };
  readonly windowSeconds: number;
  readonly threshold: number;
  readonly resolvePolicy: IncidentResolvePolicy;
  readonly enabled: boolean;
}

/** The group an alert falls in under a rule: its key, and the values that make it. */
export interface IncidentGroup {
  readonly key: string;
  readonly labels: Record<string, string>;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const DEFINITION_KEYS = [
  'id',
  'name',
  'matchers',
  'groupBy',
  'topology',
  'windowSeconds',
  'threshold',
  'resolvePolicy',
  'enabled',
];

function fieldName(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (typeof value === 'string' && FIELD_NAME.test(value)) return value;
  errors.push({
    field,
    reason: `${show(value)} is not a field name (node, service, labels.team…: letters, digits, _ and .)`,
  });
  return undefined;
}

function integer(value: unknown, field: string, min: number, max: number, errors: FieldError[]) {
  if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max) return value as number;
  errors.push({ field, reason: `${show(value)} is not a whole number from ${min} to ${max}` });
  return undefined;
}

/**
 * Checks one rule as stored (`IncidentRuleV1`, or a definition being created: `id` may be absent)
 * and compiles it; every fault names its field (`matchers[1]`, `topology.childField`).
 */
export function parseIncidentRule(
  input: unknown,
  id: string,
): { ok: true; rule: IncidentRule } | { ok: false; errors: FieldError[] } {
  if (!isRecord(input)) return { ok: false, errors: [{ field: '', reason: 'a rule must be an object' }] };
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if (!DEFINITION_KEYS.includes(key)) {
      errors.push({ field: key, reason: `unknown field (allowed: ${DEFINITION_KEYS.slice(1).join(', ')})` });
    }
  }
  const name = typeof input.name === 'string' && input.name.trim() ? input.name : undefined;
  if (!name) errors.push({ field: 'name', reason: 'must be a non-empty string' });
  const matchers = parseMatchers(input.matchers ?? [], 'matchers');
  if (!matchers.ok) errors.push(...matchers.errors);

  const groupBy: string[] = [];
  if (!Array.isArray(input.groupBy))
    errors.push({ field: 'groupBy', reason: 'must be a list of field names' });
  else {
    if (input.groupBy.length > INCIDENT_RULE_LIMITS.maxGroupBy) {
      errors.push({ field: 'groupBy', reason: `at most ${INCIDENT_RULE_LIMITS.maxGroupBy} fields` });
    }
    input.groupBy.forEach((value: unknown, i) => {
      const parsed = fieldName(value, `groupBy[${i}]`, errors);
      if (parsed && groupBy.includes(parsed)) errors.push({ field: `groupBy[${i}]`, reason: 'listed twice' });
      else if (parsed) groupBy.push(parsed);
    });
  }

  let topology: IncidentRule['topology'];
  if (input.topology !== undefined && input.topology !== null) {
    if (!isRecord(input.topology)) {
      errors.push({ field: 'topology', reason: 'must be an object {parentField, childField}' });
    } else {
      for (const key of Object.keys(input.topology)) {
        if (key !== 'parentField' && key !== 'childField') {
          errors.push({
            field: `topology.${key}`,
            reason: 'unknown field (allowed: parentField, childField)',
          });
        }
      }
      const parentField = fieldName(input.topology.parentField, 'topology.parentField', errors);
      const childField = fieldName(input.topology.childField, 'topology.childField', errors);
      if (parentField && childField && parentField === childField) {
        errors.push({ field: 'topology.childField', reason: 'must differ from parentField' });
      } else if (parentField && groupBy.includes(parentField)) {
        errors.push({
          field: 'topology.parentField',
          reason: 'is grouped by already (remove it from groupBy)',
        });
      } else if (parentField && childField) topology = { parentField, childField };
    }
  }

  const windowSeconds = integer(
    input.windowSeconds,
    'windowSeconds',
    1,
    INCIDENT_RULE_LIMITS.maxWindowSeconds,
    errors,
  );
  const threshold =
    input.threshold === undefined
      ? 1
      : integer(input.threshold, 'threshold', 1, INCIDENT_RULE_LIMITS.maxThreshold, errors);
  const resolvePolicy = input.resolvePolicy ?? 'all';
  if (!INCIDENT_RESOLVE_POLICIES.includes(resolvePolicy as IncidentResolvePolicy)) {
    errors.push({
      field: 'resolvePolicy',
      reason: `${show(resolvePolicy)} is not one of ${INCIDENT_RESOLVE_POLICIES.join(', ')}`,
    });
  }
  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') errors.push({ field: 'enabled', reason: 'must be true or false' });

  if (errors.length || !matchers.ok || !name || windowSeconds === undefined || threshold === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    rule: {
      id,
      name,
      matchers: matchers.matchers,
      groupBy,
      ...(topology && { topology }),
      windowSeconds,
      threshold,
      resolvePolicy: resolvePolicy as IncidentResolvePolicy,
      enabled: enabled as boolean,
    },
  };
}

/** A definition with its defaults written out: what is stored and shown. */
export function storedRule(id: string, rule: IncidentRule, matcherTexts: readonly string[]): IncidentRuleV1 {
  return {
    id,
    name: rule.name,
    matchers: [...matcherTexts],
    groupBy: [...rule.groupBy],
    ...(rule.topology && { topology: { ...rule.topology } }),
    windowSeconds: rule.windowSeconds,
    threshold: rule.threshold,
    resolvePolicy: rule.resolvePolicy,
    enabled: rule.enabled,
  };
}

/**
 * The group of an alert under a rule, or undefined when the rule does not take it: a matcher fails,
 * or a field the rule groups by is empty (an alert that cannot say which host it concerns is not
 * grouped with every other such alert). With topology, the group's `parentField` value is the
 * alert's `childField` (a service alert's `labels.host`, set by enrichment) or else its own
 * `parentField` (the host alert's `node`), so a host and the services on it fall in one group.
 */
export function groupOf(rule: IncidentRule, fields: LabelSet): IncidentGroup | undefined {
  if (!matchesAll(rule.matchers, fields)) return undefined;
  const labels: Record<string, string> = {};
  if (rule.topology) {
    const { parentField, childField } = rule.topology;
    const value = fields[childField] || fields[parentField];
    if (!value) return undefined;
    labels[parentField] = value;
  }
  for (const field of rule.groupBy) {
    const value = fields[field];
    if (!value) return undefined;
    labels[field] = value;
  }
  const key = Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',');
  return { key, labels };
}

/** The first enabled rule (in order) that takes the alert, with its group. */
export function firstMatchingRule(
  rules: readonly IncidentRule[],
  fields: LabelSet,
): { rule: IncidentRule; group: IncidentGroup } | undefined {
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const group = groupOf(rule, fields);
    if (group) return { rule, group };
  }
  return undefined;
}
