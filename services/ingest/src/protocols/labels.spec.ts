import { labelMapProblem, LIMITS } from '@vigil/contracts';
import { sanitiseLabelKey, sanitiseLabels } from './labels';

describe('sanitiseLabelKey', () => {
  it('keeps keys that are already valid, Prometheus and Kubernetes style', () => {
    for (const key of ['alertname', '_private', 'app.kubernetes.io/name', 'a-b']) {
      expect(sanitiseLabelKey(key)).toBe(key);
    }
  });

  it('replaces disallowed characters and fixes a leading digit, dot or dash', () => {
    expect(sanitiseLabelKey('load avg')).toBe('load_avg');
    expect(sanitiseLabelKey('1st')).toBe('_1st');
    expect(sanitiseLabelKey('.hidden')).toBe('_.hidden');
    expect(sanitiseLabelKey('café:état')).toBe('caf___tat');
    expect(sanitiseLabelKey('')).toBe('_');
  });

  it('cuts a long key to the limit', () => {
    expect(sanitiseLabelKey('k'.repeat(500))).toHaveLength(LIMITS.labelKeyLength);
  });
});

describe('sanitiseLabels', () => {
  it('turns scalars into strings and drops what cannot be a label, keeping it by its original key', () => {
    const { labels, dropped } = sanitiseLabels({
      tag: 'nginx',
      'ping time': '1500ms',
      load: 0.75,
      up: true,
      details: { nested: 1 },
      none: null,
      long: 'x'.repeat(LIMITS.labelValueLength + 1),
    });
    expect(labels).toEqual({ tag: 'nginx', ping_time: '1500ms', load: '0.75', up: 'true' });
    expect(Object.keys(dropped).sort()).toEqual(['details', 'long', 'none']);
    expect(dropped.details).toEqual({ nested: 1 });
  });

  it("never lets a sanitised key displace the producer's own key of the same spelling", () => {
    const { labels, dropped } = sanitiseLabels({ 'a b': 'renamed', a_b: 'original' });
    expect(labels).toEqual({ a_b: 'original' });
    expect(dropped).toEqual({ 'a b': 'renamed' });
  });

  it('keeps at most the label limit and drops the rest', () => {
    const many = Object.fromEntries(Array.from({ length: LIMITS.labelCount + 5 }, (_, i) => [`k${i}`, 'v']));
    const { labels, dropped } = sanitiseLabels(many);
    expect(Object.keys(labels)).toHaveLength(LIMITS.labelCount);
    expect(Object.keys(dropped)).toEqual(['k64', 'k65', 'k66', 'k67', 'k68']);
  });

  it('always produces a label map the contract accepts', () => {
    const { labels } = sanitiseLabels({ '9 lives': 'cat', 'x/y.z-w': 'ok', '\u0000': 'nul', ' ': 'space' });
    expect(labelMapProblem(labels)).toBeUndefined();
  });
});
