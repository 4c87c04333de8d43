import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key.repository';

describe('API keys', () => {
  it('are generated unique, and parse back into id and secret', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^vk_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    expect(parseApiKey(a.key)).toEqual({ id: a.id, secret: a.secret });
    expect(parseApiKey(` ${a.key}\n`)).toEqual({ id: a.id, secret: a.secret });
  });

  it('refuse anything not shaped like a key', () => {
    for (const presented of [
      '',
      'vk_',
      'Bearer x',
      'vk_0123456789ab_short',
      `xk_0123456789ab_${'a'.repeat(32)}`,
    ]) {
      expect(parseApiKey(presented)).toBeUndefined();
    }
  });

  it('match only their own secret', () => {
    const { secret } = generateApiKey();
    const hash = hashSecret(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}x`, hash)).toBe(secret.endsWith('x'));
    expect(secretMatches(generateApiKey().secret, hash)).toBe(false);
  });
});
