import { NamedStatement, statement } from '@vigil/persistence';
import type { KeysetCursor } from '../pagination/keyset-cursor';

/** A filter of a list: rows whose column holds one of the values asked for. */
export interface ListFilter {
  column: string;
  /** The column's type, for the array parameter the values travel in. */
  type: 'text' | 'uuid';
}

/**
 * A list the API pages through newest first with a keyset cursor. Everything spliced into its SQL is
 * declared in code (the SELECT, the conditions, the filters' columns, the sort key); what a request
 * brings travels only as parameters.
 */
export interface KeysetList<F extends string> {
  /** Prefix of the prepared statements' names: one statement per combination of filters in use. */
  name: string;
  /** `SELECT … FROM …` */
  select: string;
  /** Conditions every page has. */
  always?: readonly string[];
  filters: Readonly<Record<F, ListFilter>>;
  /** The sort key, both descending: a time, then the id breaking ties (the cursor's two parts). */
  at: string;
  id: string;
}

/** What a request asks of a list: for each filter, the values to keep (none or empty: no filter). */
export type ListRequest<F extends string> = Partial<Record<F, readonly string[]>>;

/**
 * The statement and parameters of one page: `limit` rows of the list in order, after `after` (the
 * sort key of the previous page's last row) when given.
 */
export function keysetPage<F extends string>(
  list: KeysetList<F>,
  request: ListRequest<F>,
  limit: number,
  after?: KeysetCursor,
): { statement: NamedStatement; values: unknown[] } {
  const conditions = [...(list.always ?? [])];
  const values: unknown[] = [];
  const used: string[] = [];
  // The list's own filters, not the request's keys: a request names no column.
  for (const name of Object.keys(list.filters) as F[]) {
    const wanted = request[name];
    if (!wanted?.length) continue;
    const { column, type } = list.filters[name];
    values.push(wanted);
    conditions.push(`${column} = ANY($${values.length}::${type}[])`);
    used.push(name);
  }
  if (after) {
    values.push(after.at, after.id);
    conditions.push(
      `(${list.at}, ${list.id}) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`,
    );
    used.push('after');
  }
  values.push(limit);
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const text = `${list.select}${where} ORDER BY ${list.at} DESC, ${list.id} DESC LIMIT $${values.length}`;
  // The name says which filters are in use, so each name always stands for the same text.
  return { statement: statement([list.name, ...used].join('-'), text), values };
}
