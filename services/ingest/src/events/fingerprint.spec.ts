import { defaultFingerprint } from './fingerprint';

describe('defaultFingerprint', () => {
  const fp = (labels: Record<string, string>, node = 'web-1') =>
    defaultFingerprint('prom', node, 'DiskFull', labels);

  it('ignores label order', () => {
    expect(fp({ a: '1', b: '2' })).toBe(fp({ b: '2', a: '1' }));
  });

  it('changes with the node, the type, the source or any label', () => {
    const base = fp({ a: '1' });
    expect(fp({ a: '1' }, 'web-2')).not.toBe(base);
    expect(defaultFingerprint('prom', 'web-1', 'CpuHigh', { a: '1' })).not.toBe(base);
    expect(defaultFingerprint('other', 'web-1', 'DiskFull', { a: '1' })).not.toBe(base);
    expect(fp({ a: '2' })).not.toBe(base);
    expect(fp({ a: '1', b: '' })).not.toBe(base);
  });

  it('cannot be confused by separators inside values', () => {
    expect(defaultFingerprint('a', 'b|c', 't', {})).not.toBe(defaultFingerprint('a|b', 'c', 't', {}));
  });

  it('is a SHA-256 hex digest', () => {
    expect(fp({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
