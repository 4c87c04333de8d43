import { AlertLike, InhibitRule, inhibitedBy, parseInhibitRule } from './inhibition';

function rule(input: unknown): InhibitRule {
  const parsed = parseInhibitRule(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rule;
}

const alert = (id: string, fields: Record<string, string>): AlertLike => ({ id, fields });

describe('inhibitedBy', () => {
  const nodeDown = rule({
    sourceMatchers: ['check=ping', 'severity=critical'],
    targetMatchers: ['check!=ping'],
    equal: ['node'],
  });
  const down = alert('src', { check: 'ping', severity: 'critical', node: 'db1' });

  it('inhibits a target while a matching source with equal labels is active', () => {
    const target = alert('t', { check: 'disk', node: 'db1' });
    expect(inhibitedBy(target, [down], [nodeDown])).toEqual({ ruleIndex: 0, sourceId: 'src' });
  });

  it('does not inhibit when an equal label differs, or the source is not in the active list', () => {
    expect(inhibitedBy(alert('t', { check: 'disk', node: 'db2' }), [down], [nodeDown])).toBeUndefined();
    expect(inhibitedBy(alert('t', { check: 'disk', node: 'db1' }), [], [nodeDown])).toBeUndefined();
  });

  it('does not inhibit a target that fails the target matchers', () => {
    expect(inhibitedBy(alert('t', { check: 'ping', node: 'db1' }), [down], [nodeDown])).toBeUndefined();
  });

  it('does not count a source that fails the source matchers', () => {
    const warning = alert('w', { check: 'ping', severity: 'warning', node: 'db1' });
    expect(inhibitedBy(alert('t', { check: 'disk', node: 'db1' }), [warning], [nodeDown])).toBeUndefined();
  });

  it('a label missing on both sides is equal; missing on one side equals only the empty string', () => {
    const r = rule({
      sourceMatchers: ['severity=critical'],
      targetMatchers: ['severity=warning'],
      equal: ['cluster'],
    });
    const source = alert('s', { severity: 'critical' });
    expect(inhibitedBy(alert('t', { severity: 'warning' }), [source], [r])).toEqual({
      ruleIndex: 0,
      sourceId: 's',
    });
    expect(inhibitedBy(alert('t', { severity: 'warning', cluster: 'eu' }), [source], [r])).toBeUndefined();
    expect(inhibitedBy(alert('t', { severity: 'warning', cluster: '' }), [source], [r])).toEqual({
      ruleIndex: 0,
      sourceId: 's',
    });
  });

  it('an alert never inhibits itself', () => {
    const r = rule({ sourceMatchers: ['env=prod'], targetMatchers: ['env=prod'], equal: [] });
    const only = alert('a', { env: 'prod' });
    expect(inhibitedBy(only, [only], [r])).toBeUndefined();
  });

  it('alerts matching both sides do not inhibit each other (Alertmanager excludeTwoSidedMatch)', () => {
    const r = rule({ sourceMatchers: ['env=prod'], targetMatchers: ['env=prod'], equal: [] });
    const a = alert('a', { env: 'prod' });
    const b = alert('b', { env: 'prod' });
    expect(inhibitedBy(a, [a, b], [r])).toBeUndefined();
    // A target that matches only the target side can still be inhibited by such a source.
    const narrow = rule({ sourceMatchers: ['env=prod'], targetMatchers: ['env=~prod|dev'], equal: [] });
    expect(inhibitedBy(alert('d', { env: 'dev' }), [a], [narrow])).toEqual({ ruleIndex: 0, sourceId: 'a' });
  });

  it('reports the first rule, then the first source, that inhibits', () => {
    const never = rule({ sourceMatchers: ['x=never'], targetMatchers: [], equal: [] });
    const any = rule({ sourceMatchers: ['severity=critical'], targetMatchers: [], equal: [] });
    const target = alert('t', { severity: 'info' });
    const sources = [alert('s1', { severity: 'critical' }), alert('s2', { severity: 'critical' })];
    expect(inhibitedBy(target, sources, [never, any])).toEqual({ ruleIndex: 1, sourceId: 's1' });
  });
});

describe('parseInhibitRule', () => {
  it('collects errors from every part with their paths', () => {
    const parsed = parseInhibitRule({
      sourceMatchers: ['a=~('],
      targetMatchers: 'b=c',
      equal: [1],
      extra: true,
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((error) => error.field)).toEqual([
      'extra',
      'sourceMatchers[0]',
      'targetMatchers',
      'equal',
    ]);
  });

  it('defaults equal to an empty list and refuses a non-object', () => {
    expect(rule({ sourceMatchers: [], targetMatchers: [] }).equal).toEqual([]);
    expect(parseInhibitRule(null)).toEqual({
      ok: false,
      errors: [{ field: '', reason: 'an inhibition rule must be an object' }],
    });
  });
});
