import { BadRequestException } from '@nestjs/common';
import { cursorParameter, decodeKeysetCursor, encodeKeysetCursor, pageOf } from './keyset-cursor';

describe('keyset cursor', () => {
  const cursor = { at: '2026-05-01T12:00:00.123Z', id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11' };

  it('round-trips and is URL-safe', () => {
    const encoded = encodeKeysetCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(encoded)).toEqual(cursor);
  });

  it.each([
    'not-a-cursor',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["yesterday","0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11"]').toString('base64url'),
    Buffer.from('["2026-05-01T12:00:00Z","1; DROP TABLE"]').toString('base64url'),
    '',
  ])('refuses %p', (value) => {
    expect(decodeKeysetCursor(value)).toBeUndefined();
  });

  it('reads ?cursor= as no cursor, a cursor, or a 400 naming the parameter', () => {
    expect(cursorParameter(undefined)).toBeUndefined();
    expect(cursorParameter(encodeKeysetCursor(cursor))).toEqual(cursor);
    let caught: unknown;
    try {
      cursorParameter('garbage');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestException);
    expect((caught as BadRequestException).getResponse()).toMatchObject({
      errors: [{ field: 'cursor', reason: 'is not a cursor this API issued' }],
    });
  });

  describe('pageOf', () => {
    const rows = [1, 2, 3].map((n) => ({ n, at: `2026-05-01T12:0${n}:00.000Z`, id: cursor.id }));
    const key = (row: (typeof rows)[number]) => ({ at: row.at, id: row.id });

    it('continues after the last item shown when the extra row exists', () => {
      const page = pageOf(rows, 2, key);
      expect(page.items.map((r) => r.n)).toEqual([1, 2]);
      expect(decodeKeysetCursor(page.nextCursor ?? '')).toEqual({ at: rows[1].at, id: cursor.id });
    });

    it('ends without a cursor when no extra row came back', () => {
      expect(pageOf(rows, 3, key)).toEqual({ items: rows, nextCursor: null });
      expect(pageOf([], 3, key)).toEqual({ items: [], nextCursor: null });
    });
  });
});
