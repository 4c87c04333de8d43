import { EVENT_ID_PATTERN, LIMITS } from '@vigil/contracts';
import { canonicalJson, contentId, prefixedFingerprint } from './keys';
import { fieldNamer, parseJsonBody } from './mapping';

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 }),
    );
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('contentId', () => {
  it('is a valid producer id, equal for equal content and different otherwise', () => {
    const id = contentId('pd', ['trigger', 'key', { summary: 's' }]);
    expect(id).toMatch(EVENT_ID_PATTERN);
    expect(id.length).toBeLessThanOrEqual(LIMITS.idLength);
    expect(contentId('pd', ['trigger', 'key', { summary: 's' }])).toBe(id);
    expect(contentId('pd', ['resolve', 'key', { summary: 's' }])).not.toBe(id);
  });
});

describe('prefixedFingerprint', () => {
  it('prefixes the key, so it cannot equal a 64-hex Vigil fingerprint', () => {
    expect(prefixedFingerprint('am', 'c6eadffa33fcdf37')).toBe('am:c6eadffa33fcdf37');
  });

  it('hashes a key that would not fit, stably and distinctly', () => {
    const long = prefixedFingerprint('pd', 'k'.repeat(255));
    expect(long).toMatch(/^pd:sha256:[0-9a-f]{64}$/);
    expect(prefixedFingerprint('pd', 'k'.repeat(255))).toBe(long);
    expect(prefixedFingerprint('pd', 'j'.repeat(255))).not.toBe(long);
  });
});

describe('fieldNamer', () => {
  const name = fieldNamer({ node: 'payload.source', labels: 'event' }, 'x.');

  it('renames known fields and nested fields by their parent, and prefixes the rest', () => {
    expect(name('node')).toBe('x.payload.source');
    expect(name('labels.tag')).toBe('x.event.tag');
    expect(name('summary')).toBe('x.summary');
    expect(name('constructor')).toBe('x.constructor');
  });
});

describe('parseJsonBody', () => {
  it('names the body when it is not JSON', () => {
    const parsed = parseJsonBody(new TextEncoder().encode('{"a":'));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toMatchObject({
      field: '$',
      reason: expect.stringMatching(/^is not valid JSON/),
    });
  });
});
