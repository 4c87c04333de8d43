import { presentedKey, sourceFor } from './ingest-gate';

describe('presentedKey', () => {
  it('reads a bearer token, X-Api-Key and X-Api-Token, in that order', () => {
    expect(presentedKey({ authorization: 'Bearer vk_a_b' })).toBe('vk_a_b');
    expect(presentedKey({ authorization: 'bearer   vk_a_b ' })).toBe('vk_a_b');
    expect(presentedKey({ 'x-api-key': 'k1', 'x-api-token': 'k2' })).toBe('k1');
    expect(presentedKey({ 'x-api-token': 'k2' })).toBe('k2');
    expect(presentedKey({ authorization: 'Bearer k0', 'x-api-key': 'k1' })).toBe('k0');
  });

  it('passes on an authorization header of another scheme, so it fails verification visibly', () => {
    expect(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' })).toBe('Basic dXNlcjpwYXNz');
  });

  it('is undefined when nothing was presented', () => {
    expect(presentedKey({})).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '  ' })).toBeUndefined();
  });
});

describe('sourceFor', () => {
  it("prefers the requested source, then the key's only source, then the protocol's name", () => {
    expect(sourceFor({ allowedSources: ['a'] }, 'b', 'alertmanager')).toBe('b');
    expect(sourceFor({ allowedSources: ['a'] }, undefined, 'alertmanager')).toBe('a');
    expect(sourceFor({ allowedSources: ['a', 'b'] }, undefined, 'alertmanager')).toBe('alertmanager');
    expect(sourceFor({}, undefined, 'alertmanager')).toBe('alertmanager');
  });
});
