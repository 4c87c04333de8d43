import { PairingRules, parsePairingRules } from './pairing-rules';

describe('parsePairingRules', () => {
  it('reads rules, with match defaulting to the node', () => {
    expect(
      parsePairingRules(
        '[{"problem":"LinkDown","resolution":"LinkUp","match":["node","labels.ifname"]},{"problem":"Down","resolution":"Up"}]',
      ),
    ).toEqual({
      ok: true,
      rules: [
        { problem: 'LinkDown', resolution: 'LinkUp', match: ['node', 'labels.ifname'] },
        { problem: 'Down', resolution: 'Up', match: ['node'] },
      ],
    });
    expect(parsePairingRules('[]')).toEqual({ ok: true, rules: [] });
  });

  it('names every problem, rule by rule', () => {
    expect(parsePairingRules('{')).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^is not valid JSON/)],
    });
    expect(parsePairingRules('{}')).toEqual({
      ok: false,
      problems: ['must be a JSON array of {problem, resolution, match}'],
    });
    expect(
      parsePairingRules(
        '[1, {"problem":"A","resolution":"A"}, {"problem":"","resolution":"B","match":["attributes.x", 3]}, {"problem":"A","resolution":"B","match":[],"extra":1}]',
      ),
    ).toEqual({
      ok: false,
      problems: [
        '[0] must be an object',
        '[1]: problem and resolution must be different types',
        '[2].problem must be a non-empty event type',
        '[2].match[0] "attributes.x" is not a field alerts keep (use node, source, service, environment, category or labels.<key>)',
        '[2].match[1] must be a string',
        '[3].extra is not a rule field (problem, resolution, match)',
        '[3].match must be a non-empty array of field names',
      ],
    });
  });
});

describe('PairingRules', () => {
  const rules = new PairingRules([
    { problem: 'LinkDown', resolution: 'LinkUp', match: ['node', 'labels.ifname'] },
    { problem: 'Down', resolution: 'Up', match: ['node'] },
    { problem: 'Up', resolution: 'Gone', match: ['node'] },
  ]);
  const base = { node: 'sw-1', source: 's', category: 'network', labels: { ifname: 'eth0' } };

  it('finds the rules of a resolution type, and tells problems apart', () => {
    expect(rules.rulesResolvedBy('LinkUp').map((r) => r.problem)).toEqual(['LinkDown']);
    expect(rules.rulesResolvedBy('LinkDown')).toEqual([]);
    expect(rules.isProblem('Up')).toBe(true);
    expect(rules.isProblem('LinkUp')).toBe(false);
    expect(rules.problemTypes.sort()).toEqual(['Down', 'LinkDown', 'Up']);
  });

  it('matches an alert of the problem type with equal match fields only', () => {
    const [rule] = rules.rulesResolvedBy('LinkUp');
    expect(PairingRules.matches(rule, base, { ...base, type: 'LinkDown' })).toBe(true);
    expect(PairingRules.matches(rule, base, { ...base, type: 'Other' })).toBe(false);
    expect(PairingRules.matches(rule, base, { ...base, node: 'sw-2', type: 'LinkDown' })).toBe(false);
    expect(PairingRules.matches(rule, base, { ...base, labels: { ifname: 'eth1' }, type: 'LinkDown' })).toBe(
      false,
    );
    // A field absent on both sides does not make everything a pair.
    expect(
      PairingRules.matches(rule, { ...base, labels: {} }, { ...base, labels: {}, type: 'LinkDown' }),
    ).toBe(false);
  });
});
