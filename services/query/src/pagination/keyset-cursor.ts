import { BadRequestException } from '@nestjs/common';

/** Where a page ended: the sort key of its last row (a time, newest first, and the id breaking ties). */
export interface KeysetCursor {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** The cursor, or undefined when the string is not one this API issued. */
export function decodeKeysetCursor(value: string): KeysetCursor | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [at, id] = decoded as unknown[];
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    return { at, id };
  } catch {
    return undefined;
  }
}

/** The cursor of `?cursor=`, undefined for the first page, or a 400 naming the parameter. */
export function cursorParameter(value: string | undefined): KeysetCursor | undefined {
  if (value === undefined) return undefined;
  const cursor = decodeKeysetCursor(value);
  if (!cursor) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid request: cursor: is not a cursor this API issued',
      errors: [{ field: 'cursor', reason: 'is not a cursor this API issued' }],
    });
  }
  return cursor;
}

/**
 * One page of `rows` fetched with one row more than `limit`: the extra row only tells whether
 * another page exists, which saves a count query.
 */
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => KeysetCursor,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeKeysetCursor(keyOf(last)) : null,
  };
}
