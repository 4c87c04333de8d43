/**
 * The fields of a row type to read, keyed by the type: a field the SQL does not read (say, one added
 * to a contracts snapshot source) is a compile error rather than an `undefined` at run time.
 */
export type RowFields<R> = Record<keyof R & string, true>;

/** `previousSeverity` → `previous_severity`: the schema's naming (`SnakeNamingStrategy`). */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * `"id", "previous_severity" AS "previousSeverity", …`: every field read from its column, so Postgres
 * returns rows in the row type's shape. The names come from this code, never from a request; they are
 * quoted so that a column named like a keyword (`at`, `window`) needs no special case.
 */
export function selectList<R>(fields: RowFields<R>): string {
  return Object.keys(fields)
    .map((field) => (columnOf(field) === field ? `"${field}"` : `"${columnOf(field)}" AS "${field}"`))
    .join(', ');
}
