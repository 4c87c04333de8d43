import { Matcher, formatMatcher, matches, matchesAll, parseMatcher, parseMatchers } from './matchers';

function parsed(input: unknown): Matcher[] {
  const result = parseMatchers(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.matchers;
}

describe('parseMatchers', () => {
  it('reads the four operators of the text form', () => {
    const list = parsed(['env=prod', 'service=~api|web', 'team!=db', 'node!~^test-']);
    expect(list.map(({ name, value, isRegex, isEqual }) => ({ name, value, isRegex, isEqual }))).toEqual([
      { name: 'env', value: 'prod', isRegex: false, isEqual: true },
      { name: 'service', value: 'api|web', isRegex: true, isEqual: true },
      { name: 'team', value: 'db', isRegex: false, isEqual: false },
      { name: 'node', value: '^test-', isRegex: true, isEqual: false },
    ]);
    expect(list.map(formatMatcher)).toEqual([
      'env="prod"',
      'service=~"api|web"',
      'team!="db"',
      'node!~"^test-"',
    ]);
  });

  it('accepts spaces, quoted values, dotted names, = inside values and empty values', () => {
    const [spaced, quoted, dotted, equals, empty] = parsed([
      ' env = prod ',
      'msg="a \\"b\\", c"',
      'labels.team=ops',
      'q=a=b',
      'x=',
    ]);
    expect([spaced.name, spaced.value]).toEqual(['env', 'prod']);
    expect(quoted.value).toBe('a "b", c');
    expect(dotted.name).toBe('labels.team');
    expect([equals.name, equals.value]).toEqual(['q', 'a=b']);
    expect(empty.value).toBe('');
  });

  it('reads the object form with Alertmanager defaults (isRegex false, isEqual true)', () => {
    const [plain, regex] = parsed([
      { name: 'env', value: 'prod' },
      { name: 'service', value: 'api.*', isRegex: true, isEqual: false },
    ]);
    expect([plain.isRegex, plain.isEqual, regex.isRegex, regex.isEqual]).toEqual([false, true, true, false]);
  });

  it('names the matcher and the reason for each fault', () => {
    const result = parseMatchers(
      [
        'env=prod',
        'service=~(api',
        'no operator',
        { name: 'x' },
        42,
        '1bad=x',
        { name: 'a', value: 'b', op: '=' },
        'v="unterminated',
      ],
      'sourceMatchers',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field)).toEqual([
      'sourceMatchers[1]',
      'sourceMatchers[2]',
      'sourceMatchers[3]',
      'sourceMatchers[4]',
      'sourceMatchers[5]',
      'sourceMatchers[6]',
      'sourceMatchers[7]',
    ]);
    const [regex, operator, value, kind, name, extra, quote] = result.errors.map((error) => error.reason);
    expect(regex).toMatch(/^"service=~\(api": bad regex "\(api"/);
    expect(operator).toMatch(/is not name=value/);
    expect(value).toMatch(/value must be a string/);
    expect(kind).toMatch(/^42: .*neither/);
    expect(name).toMatch(/"1bad" is not a label name/);
    expect(extra).toMatch(/unknown field op/);
    expect(quote).toMatch(/not a properly quoted string/);
  });

  it('refuses a non-list', () => {
    expect(parseMatchers('env=prod')).toEqual({
      ok: false,
      errors: [{ field: 'matchers', reason: 'must be a list of matchers' }],
    });
  });
});

describe('matches', () => {
  const one = (text: string) => {
    const matcher = parseMatcher(text);
    if (typeof matcher === 'string') throw new Error(matcher);
    return matcher;
  };

  it.each<[string, Record<string, string>, boolean]>([
    ['env=prod', { env: 'prod' }, true],
    ['env=prod', { env: 'production' }, false],
    ['env!=prod', { env: 'prod' }, false],
    ['env!=prod', { env: 'dev' }, true],
    // Regexes are anchored at both ends, as Alertmanager's are.
    ['service=~api|web', { service: 'api' }, true],
    ['service=~api|web', { service: 'web' }, true],
    ['service=~api|web', { service: 'api-gw' }, false],
    ['service=~api|web', { service: 'myweb' }, false],
    ['service=~api.*', { service: 'api-gw' }, true],
    // Full anchoring makes `^test-` mean exactly "test-": it is not a prefix match, as in Alertmanager.
    ['node!~^test-', { node: 'test-1' }, true],
    ['node!~^test-', { node: 'test-' }, false],
    ['node!~test-.*', { node: 'test-1' }, false],
    ['node!~test-.*', { node: 'prod-test-1' }, true],
    // A missing label is the empty string.
    ['team!=db', {}, true],
    ['team=', {}, true],
    ['team=~.*', {}, true],
    ['team=~.+', {}, false],
    ['team!~.+', {}, true],
    ['team=db', {}, false],
    ['labels.team=ops', { 'labels.team': 'ops' }, true],
    // Inherited properties are not labels.
    ['constructor=', {}, true],
    ['toString!=', {}, false],
  ])('%s against %j → %s', (text, labels, expected) => {
    expect(matches(one(text), labels)).toBe(expected);
  });

  it('matchesAll needs every matcher, and an empty list matches everything', () => {
    const list = parsed(['env=prod', 'team!=db']);
    expect(matchesAll(list, { env: 'prod', team: 'web' })).toBe(true);
    expect(matchesAll(list, { env: 'prod', team: 'db' })).toBe(false);
    expect(matchesAll([], {})).toBe(true);
  });

  it('a regex matcher gives the same answer every time (no lastIndex state)', () => {
    const matcher = one('service=~api');
    expect([1, 2, 3].map(() => matches(matcher, { service: 'api' }))).toEqual([true, true, true]);
  });
});
