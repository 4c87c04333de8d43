import { acceptedEvent } from './sample-events';
import { classifyYaml, compileYaml, contextAt, explainYaml } from './spec-support';

/** Each rule appends its name to the summary, so the summary spells the order rules ran in. */
const ORDER = `
globals:
  rules:
    - { name: g1, all: true, set: { summary: "{summary}>g1" } }
    - { name: g2, equals: { type: DiskFull }, set: { summary: "{summary}>g2" } }
    - { name: g3, equals: { type: LinkDown }, set: { summary: "{summary}>g3" } }
groups:
  _order: [Web, Disk, Db]
  Web:
    select: { starts_with: { node: web } }
    rules:
      - { name: w1, all: true, set: { summary: "{summary}>w1" } }
  Disk:
    equals: { type: DiskFull }
    rules:
      - { name: d1, all: true, set: { summary: "{summary}>d1" } }
  Db:
    select: { starts_with: { node: db } }
    rules:
      - { name: x1, all: true, set: { summary: "{summary}>x1" } }
`;

describe('evaluation order', () => {
  it('runs globals in order, then every matching group in _order; the last matching group wins', () => {
    const result = classifyYaml(ORDER, { summary: 's' });
    expect(result.event.summary).toBe('s>g1>g2>w1>d1');
    expect(result.group).toBe('Disk');
    expect(result.matchedRules).toEqual(['globals/g1', 'globals/g2', 'group:Web/w1', 'group:Disk/d1']);
    expect(result.event.classification).toEqual({
      ruleSet: 'spec',
      ruleSetVersion: '7',
      matchedRules: ['globals/g1', 'globals/g2', 'group:Web/w1', 'group:Disk/d1'],
    });
  });

  it('tests a later group’s selector against the event as earlier groups left it', () => {
    const text = ORDER.replace(
      '{ name: w1, all: true, set: { summary: "{summary}>w1" } }',
      '{ name: w1, all: true, set: { type: Other } }',
    );
    const result = classifyYaml(text, { summary: 's' });
    expect(result.group).toBe('Web');
    expect(result.event.summary).toBe('s>g1>g2');
  });

  it('reports no group when none matched', () => {
    const result = classifyYaml(ORDER, { node: 'app-1', type: 'LinkDown', summary: 's' });
    expect(result.event.summary).toBe('s>g1>g3');
    expect(result).not.toHaveProperty('group');
  });

  it('skips disabled rules entirely', () => {
    const result = classifyYaml(ORDER.replace('{ name: g2,', '{ name: g2, skip: true,'), { summary: 's' });
    expect(result.event.summary).toBe('s>g1>w1>d1');
    expect(result.matchedRules).not.toContain('globals/g2');
  });

  it('stop_rule_set ends only the rule set it ran in', () => {
    const text = ORDER.replace(
      '{ name: g1, all: true,',
      '{ name: g1, all: true, stop_rule_set: true,',
    ).replace(
      '{ name: w1, all: true, set: { summary: "{summary}>w1" } }',
      '{ name: w1, all: true, set: { summary: "{summary}>w1" }, stop_rule_set: true }\n      - { name: w2, all: true, set: { summary: "{summary}>w2" } }',
    );
    expect(classifyYaml(text, { summary: 's' }).event.summary).toBe('s>g1>w1>d1');
  });

  it('stop in a group ends all processing after that group', () => {
    const text = ORDER.replace('{ name: w1, all: true,', '{ name: w1, all: true, stop: true,');
    const result = classifyYaml(text, { summary: 's' });
    expect(result.event.summary).toBe('s>g1>g2>w1');
    expect(result.group).toBe('Web');
  });

  // PC:packages/oa-event-rules/src/event_rules.coffee `run` calls groups.run after globals.run
  // without looking at the stop flag, so Panther still tried the first group; Vigil does not
  // (docs/rules.md, "Evaluation").
  it('after a global stop, runs no group at all', () => {
    const text = ORDER.replace('{ name: g1, all: true,', '{ name: g1, all: true, stop: true,');
    const result = classifyYaml(text, { summary: 's' });
    expect(result.event.summary).toBe('s>g1');
    expect(result.group).toBeUndefined();
    expect(classifyYaml(text, { node: 'db-1', summary: 's' }).event.summary).toBe('s>g1');
  });

  it('discard stops, marks the classification discarded, and still yields the complete event', () => {
    const text = ORDER.replace(
      '{ name: g2, equals: { type: DiskFull },',
      '{ name: g2, equals: { type: DiskFull }, discard: true,',
    );
    const result = classifyYaml(text, { node: 'db-1', summary: 's' });
    expect(result.discarded).toBe(true);
    expect(result.event.summary).toBe('s>g1>g2');
    expect(result.matchedRules).toEqual(['globals/g1', 'globals/g2']);
  });

  it('keeps {match.N} from the last successful match, even one in an earlier rule', () => {
    const text = `
globals:
  rules:
    - { name: capture, match: { summary: "/(\\\\d+)%/" }, team: t }
    - { name: use, equals: { type: DiskFull }, set: { summary: "at {match.1}" } }
`;
    expect(classifyYaml(text).event.summary).toBe('at 95');
  });
});

describe('rule ids', () => {
  it('are the uuid, else location/name, numbered when a name repeats', () => {
    const rules = compileYaml(`
globals:
  rules:
    - { name: a, uuid: 0c0e6f7a-1c4b-11ef-9b1a-0242ac120002, all: true, team: t }
    - { name: b, all: true, team: t }
    - { name: b, all: true, team: t, skip: true }
groups:
  _order: [G]
  G: { all: true, rules: [{ name: b, all: true, team: t }] }
`).rules;
    expect(rules).toEqual([
      {
        id: '0c0e6f7a-1c4b-11ef-9b1a-0242ac120002',
        name: 'a',
        location: 'globals',
        skip: false,
        uuid: '0c0e6f7a-1c4b-11ef-9b1a-0242ac120002',
      },
      { id: 'globals/b', name: 'b', location: 'globals', skip: false },
      { id: 'globals/b#2', name: 'b', location: 'globals', skip: true },
      { id: 'group:G/b', name: 'b', location: 'group:G', skip: false },
    ]);
  });
});

describe('explain', () => {
  it('lists each matching rule and group with its changes, and where and why processing ended', () => {
    const text = ORDER.replace(
      '{ name: w1, all: true, set: { summary: "{summary}>w1" } }',
      '{ name: w1, all: true, severity: critical, stop: true }',
    );
    const explained = explainYaml(text, { summary: 's' });
    expect(explained.trace).toEqual([
      {
        kind: 'rule',
        id: 'globals/g1',
        name: 'g1',
        location: 'globals',
        changes: [{ field: 'summary', from: 's', to: 's>g1' }],
        notes: [],
      },
      {
        kind: 'rule',
        id: 'globals/g2',
        name: 'g2',
        location: 'globals',
        changes: [{ field: 'summary', from: 's>g1', to: 's>g1>g2' }],
        notes: [],
      },
      { kind: 'group', name: 'Web', changes: [{ field: 'group', from: undefined, to: 'Web' }], notes: [] },
      {
        kind: 'rule',
        id: 'group:Web/w1',
        name: 'w1',
        location: 'group:Web',
        changes: [{ field: 'severity', from: 'major', to: 'critical' }],
        notes: [],
        stopped: 'stop',
      },
      { kind: 'end', reason: 'stop', by: { id: 'group:Web/w1', name: 'w1', location: 'group:Web' } },
    ]);
  });

  it('classifies exactly as classify does', () => {
    const rules = compileYaml(ORDER);
    const event = acceptedEvent({ summary: 's' });
    const { trace, ...explained } = rules.explain(event, contextAt());
    expect(explained).toEqual(rules.classify(event, contextAt()));
    expect(trace.at(-1)).toEqual({ kind: 'end', reason: 'completed' });
  });
});
