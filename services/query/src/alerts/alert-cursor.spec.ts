import { decodeCursor, encodeCursor } from './alert-cursor';

describe('alert cursor', () => {
  const cursor = { lastOccurrence: '2026-05-01T12:00:00.123Z', id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11' };

  it('round-trips and is URL-safe', () => {
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it.each([
    'not-a-cursor',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["yesterday","0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11"]').toString('base64url'),
    Buffer.from('["2026-05-01T12:00:00Z","1; DROP TABLE"]').toString('base64url'),
    '',
  ])('refuses %p', (value) => {
    expect(decodeCursor(value)).toBeUndefined();
  });
});
