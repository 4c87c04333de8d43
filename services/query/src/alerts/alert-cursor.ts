/** Where a page ended: the sort key of its last alert (newest activity first, id breaking ties). */
export interface AlertCursor {
  lastOccurrence: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: AlertCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastOccurrence, cursor.id])).toString('base64url');
}

/** The cursor, or undefined when the string is not one this API issued. */
export function decodeCursor(value: string): AlertCursor | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [lastOccurrence, id] = decoded as unknown[];
    if (typeof lastOccurrence !== 'string' || Number.isNaN(Date.parse(lastOccurrence))) return undefined;
    if (typeof id !== 'string' || !UUID.test(id)) return undefined;
    return { lastOccurrence, id };
  } catch {
    return undefined;
  }
}
