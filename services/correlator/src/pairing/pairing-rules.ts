import { LABEL_KEY_PATTERN } from '@vigil/contracts';
import type { Labels } from '@vigil/contracts';

/**
 * A problem/resolution pair: an event of type `resolution` resolves the active alerts of type
 * `problem` whose `match` fields equal the event's. Generalises the Panther console's hard-wired
 * up/down pair (`type: up` clears `type: down` of the same node).
 */
export interface PairingRule {
  problem: string;
  resolution: string;
  /** Fields compared between the event and the alert: `node`, `source`, `service`, `environment`, `category`, `labels.<key>`. */
  match: string[];
}

/** What both an event and an alert have, so match fields can be read from either. */
export interface Matchable {
  node: string;
  source: string;
  category: string;
  service?: string | null;
  environment?: string | null;
  labels: Labels;
}

export const DEFAULT_MATCH = ['node'];
const PLAIN_FIELDS = new Set(['node', 'source', 'service', 'environment', 'category']);

function fieldProblem(field: unknown): string | undefined {
  if (typeof field !== 'string') return 'must be a string';
  if (PLAIN_FIELDS.has(field)) return undefined;
  if (field.startsWith('labels.') && LABEL_KEY_PATTERN.test(field.slice('labels.'.length))) return undefined;
  return `"${field}" is not a field alerts keep (use node, source, service, environment, category or labels.<key>)`;
}

/**
 * Parses `CORRELATOR_PAIRING_RULES`: a JSON array of `{problem, resolution, match?}`. Returns the
 * rules, or every problem found, each naming the rule (by index) and field.
 */
export function parsePairingRules(
  text: string,
): { ok: true; rules: PairingRule[] } | { ok: false; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [`is not valid JSON (${error instanceof Error ? error.message : String(error)})`],
    };
  }
  if (!Array.isArray(parsed))
    return { ok: false, problems: ['must be a JSON array of {problem, resolution, match}'] };
  const problems: string[] = [];
  const rules: PairingRule[] = [];
  parsed.forEach((item: unknown, i) => {
    const at = `[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at} must be an object`);
      return;
    }
    const { problem, resolution, match, ...rest } = item as Record<string, unknown>;
    for (const key of Object.keys(rest))
      problems.push(`${at}.${key} is not a rule field (problem, resolution, match)`);
    for (const [name, value] of [
      ['problem', problem],
      ['resolution', resolution],
    ] as const) {
      if (typeof value !== 'string' || !value.length)
        problems.push(`${at}.${name} must be a non-empty event type`);
    }
    if (typeof problem === 'string' && problem === resolution)
      problems.push(`${at}: problem and resolution must be different types`);
    let fields = DEFAULT_MATCH;
    if (match !== undefined) {
      if (!Array.isArray(match) || !match.length) {
        problems.push(`${at}.match must be a non-empty array of field names`);
      } else {
        match.forEach((field: unknown, j) => {
          const problemText = fieldProblem(field);
          if (problemText) problems.push(`${at}.match[${j}] ${problemText}`);
        });
        fields = match as string[];
      }
    }
    rules.push({ problem: problem as string, resolution: resolution as string, match: fields });
  });
  return problems.length ? { ok: false, problems } : { ok: true, rules };
}

function valueOf(subject: Matchable, field: string): string | undefined {
  if (field.startsWith('labels.')) return subject.labels[field.slice('labels.'.length)];
  const value = subject[field as keyof Omit<Matchable, 'labels'>];
  return value ?? undefined;
}

/** The configured pairs, indexed by resolution type. */
export class PairingRules {
  private readonly byResolution = new Map<string, PairingRule[]>();
  private readonly problems = new Set<string>();

  constructor(readonly rules: readonly PairingRule[]) {
    for (const rule of rules) {
      this.byResolution.set(rule.resolution, [...(this.byResolution.get(rule.resolution) ?? []), rule]);
      this.problems.add(rule.problem);
    }
  }

  /** The event types some rule resolves: the alerts pairing may touch. */
  get problemTypes(): string[] {
    return [...this.problems];
  }

  /**
   * The rules an event of this type resolves with, or none. A type that is also some rule's problem
   * is a problem first: it opens (or counts into) its own alert, and resolves its pairs as well.
   */
  rulesResolvedBy(type: string): readonly PairingRule[] {
    return this.byResolution.get(type) ?? [];
  }

  isProblem(type: string): boolean {
    return this.problems.has(type);
  }

  /** Whether `alert` (of the rule's problem type) is the pair of the resolution `event`. */
  static matches(rule: PairingRule, event: Matchable, alert: Matchable & { type: string }): boolean {
    if (alert.type !== rule.problem) return false;
    return rule.match.every((field) => {
      const expected = valueOf(event, field);
      // A field missing on either side matches nothing: an absent label must not pair everything.
      return expected !== undefined && expected === valueOf(alert, field);
    });
  }
}
