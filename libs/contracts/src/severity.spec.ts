import {
  normalizeSeverity,
  NUMERIC_SEVERITIES,
  SEVERITIES,
  SEVERITY_ALIASES,
  SEVERITY_RANK,
  severityStringPattern,
} from './severity';

describe('normalizeSeverity', () => {
  it.each(SEVERITIES)('keeps the X.733 name %s', (name) => {
    expect(normalizeSeverity(name)).toBe(name);
  });

  it.each([
    ['error', 'major'],
    ['ERR', 'major'],
    ['Warn', 'warning'],
    ['info', 'indeterminate'],
    ['notice', 'indeterminate'],
    ['ok', 'cleared'],
    ['resolved', 'cleared'],
    ['emerg', 'critical'],
    ['  Critical  ', 'critical'],
  ])('maps the alias %p to %s', (alias, expected) => {
    expect(normalizeSeverity(alias)).toBe(expected);
  });

  it("follows Panther's numeric scale, as numbers and as numeric strings", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => normalizeSeverity(n))).toEqual([
      'cleared',
      'indeterminate',
      'warning',
      'minor',
      'major',
      'critical',
    ]);
    expect(normalizeSeverity('4')).toBe('major');
  });

  it.each([-1, 6, 2.5, '', 'bogus', 'criticality', null, undefined, {}, ['major'], true, '07'])(
    'refuses %p',
    (value) => {
      expect(normalizeSeverity(value)).toBeUndefined();
    },
  );

  it('ranks severities so that worse is higher and cleared is lowest', () => {
    const ranked = [...SEVERITIES].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);
    expect(ranked).toEqual(['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared']);
    expect(NUMERIC_SEVERITIES.map((s) => SEVERITY_RANK[s])).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('severityStringPattern', () => {
  const pattern = new RegExp(severityStringPattern());

  it('accepts exactly the strings normalizeSeverity accepts', () => {
    const candidates = [
      ...Object.keys(SEVERITY_ALIASES),
      ...Object.keys(SEVERITY_ALIASES).map((a) => a.toUpperCase()),
      ...Object.keys(SEVERITY_ALIASES).map((a) => ` ${a[0].toUpperCase()}${a.slice(1)} `),
      '0',
      '5',
      '6',
      '-1',
      'bogus',
      'majorr',
      'maj',
      '',
      'ok!',
    ];
    for (const candidate of candidates) {
      expect([candidate, pattern.test(candidate)]).toEqual([
        candidate,
        normalizeSeverity(candidate) !== undefined,
      ]);
    }
  });
});
