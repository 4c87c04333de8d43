import { ClassifiedEventV1, validatePlain } from '@vigil/contracts';
import { ClassifyContext, compileRuleSet } from '@vigil/rules';
import { benchmarkEvents, benchmarkRuleSet, benchmarkRuleSetDocument } from './rules-engine';

/** As libs/rules' specs build it (their spec-support is not exported): a moment, no lookup tables. */
function contextAt(now: string): ClassifyContext {
  return { now: new Date(now), tables: new Map() };
}

describe('the benchmark rule set', () => {
  const document = benchmarkRuleSetDocument(200);

  it('has the rules asked for, globally and in groups, of every kind', () => {
    const rules = [...document.globals, ...document.groups.flatMap((group) => group.rules)];
    expect(rules).toHaveLength(200);
    expect(document.groups).toHaveLength(8);
    for (const key of [
      'match',
      'equals',
      'starts_with',
      'labels',
      'schedule',
      'lookup',
      'not',
      'replace',
      'discard',
    ] as const) {
      expect(rules.some((rule) => rule[key] !== undefined)).toBe(true);
    }
  });

  it('classifies its events validly, with rules matching and some discarded', () => {
    const compiled = compileRuleSet(document, { name: 'bench', version: '1' });
    const results = benchmarkEvents(400).map((event) =>
      compiled.classify(event, contextAt('2026-03-03T23:30:00Z')),
    );
    expect(
      results.every((r) => validatePlain(ClassifiedEventV1, JSON.parse(JSON.stringify(r.event))).ok),
    ).toBe(true);
    const matched = results.filter((r) => r.matchedRules.length > 0).length;
    expect(matched).toBeGreaterThan(100);
    expect(matched).toBeLessThan(400);
    expect(results.some((r) => r.discarded)).toBe(true);
    expect(new Set(results.map((r) => r.group)).size).toBe(8);
  });

  it('reports a rate for the rules it built', () => {
    const { eventsPerSecond, rules } = benchmarkRuleSet(40, 2_000);
    expect(rules).toBe(40);
    expect(eventsPerSecond).toBeGreaterThan(0);
  });
});
