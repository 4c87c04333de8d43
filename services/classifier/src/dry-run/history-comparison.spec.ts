import { acceptedEvent, classifiedEvent } from '@vigil/testing';
import { EXAMPLES_PER_TRANSITION, HistoryComparison, MAX_EXAMPLES, Outcome } from './history-comparison';

function outcome(overrides: Partial<Outcome['event']> = {}, extra: Partial<Outcome> = {}): Outcome {
  return { discarded: false, event: classifiedEvent(overrides), matchedRules: [], ...extra };
}

const rules = [
  { id: 'disk', name: 'Disk', location: 'globals' },
  { id: 'net', name: 'Network', location: 'globals' },
];

describe('HistoryComparison', () => {
  it('counts changes per field, and an event once however many of its fields change', () => {
    const comparison = new HistoryComparison(rules, rules);
    const event = acceptedEvent();
    comparison.add(event, outcome({ category: 'os' }), outcome({ category: 'network', team: 'neteng' }));
    comparison.add(acceptedEvent(), outcome(), outcome());
    const report = comparison.report();
    expect(report).toMatchObject({
      events: 2,
      changed: 1,
      categoryChanges: 1,
      teamChanges: 1,
      severityChanges: 0,
      priorityChanges: 0,
      newlyDiscarded: 0,
      noLongerDiscarded: 0,
    });
    expect(report.examples).toEqual([
      {
        eventId: event.id,
        node: event.node,
        summary: event.summary,
        field: 'category',
        from: 'os',
        to: 'network',
      },
      {
        eventId: event.id,
        node: event.node,
        summary: event.summary,
        field: 'team',
        from: null,
        to: 'neteng',
      },
    ]);
  });

  it('reports discards both ways, and ignores other fields of a discarded event', () => {
    const comparison = new HistoryComparison(rules, rules);
    comparison.add(acceptedEvent(), outcome(), outcome({ category: 'network' }, { discarded: true }));
    comparison.add(acceptedEvent(), outcome({}, { discarded: true }), outcome());
    comparison.add(
      acceptedEvent(),
      outcome({}, { discarded: true }),
      outcome({ team: 'x' }, { discarded: true }),
    );
    const report = comparison.report();
    expect(report).toMatchObject({
      events: 3,
      changed: 2,
      newlyDiscarded: 1,
      noLongerDiscarded: 1,
      categoryChanges: 0,
    });
    expect(report.examples.map((e) => [e.field, e.from, e.to])).toEqual([
      ['discarded', false, true],
      ['discarded', true, false],
    ]);
  });

  it('ranks transitions by frequency and caps examples per transition and overall', () => {
    const comparison = new HistoryComparison(rules, rules);
    for (let i = 0; i < 300; i++) {
      comparison.add(acceptedEvent(), outcome({ category: 'os' }), outcome({ category: 'network' }));
    }
    for (let i = 0; i < 30; i++) {
      comparison.add(acceptedEvent(), outcome({ owner: `o${i}` }), outcome({ owner: 'ops' }));
    }
    comparison.add(acceptedEvent(), outcome({ severity: 'major' }), outcome({ severity: 'critical' }));
    const report = comparison.report();
    expect(report.transitions[0]).toEqual({ field: 'category', from: 'os', to: 'network', events: 300 });
    expect(report.examples.filter((e) => e.field === 'category')).toHaveLength(EXAMPLES_PER_TRANSITION);
    // Each distinct owner change is its own transition, so they fill slots up to the cap…
    expect(report.examples.length).toBeLessThanOrEqual(MAX_EXAMPLES);
    // …and the rare severity change is still shown.
    expect(report.examples.some((e) => e.field === 'severity')).toBe(true);
  });

  it('compares rule hits under both sets and lists proposed rules that never matched', () => {
    const proposedRules = [...rules, { id: 'typo', name: 'Typo', location: 'globals' }];
    const comparison = new HistoryComparison(rules, proposedRules);
    comparison.add(
      acceptedEvent(),
      outcome({}, { matchedRules: ['disk'] }),
      outcome({}, { matchedRules: ['disk', 'net'] }),
    );
    comparison.add(
      acceptedEvent(),
      outcome({}, { matchedRules: ['net'] }),
      outcome({}, { matchedRules: ['net'] }),
    );
    const report = comparison.report();
    expect(report.rules).toEqual([
      { id: 'disk', name: 'Disk', location: 'globals', current: 1, proposed: 1 },
      { id: 'net', name: 'Network', location: 'globals', current: 1, proposed: 2 },
      { id: 'typo', name: 'Typo', location: 'globals', current: 0, proposed: 0 },
    ]);
    expect(report.neverMatched.map((rule) => rule.id)).toEqual(['typo']);
  });
});
