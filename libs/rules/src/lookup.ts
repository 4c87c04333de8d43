import { parse as parseCsv } from 'csv-parse/sync';
import type { RuleError } from './errors';
import { childPath, loadSource } from './source';

/** An enrichment table: rows by the value of one column, every cell text. */
export interface LookupTable {
  name: string;
  keyColumn: string;
  rows: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export type TableParseResult = { ok: true; table: LookupTable } | { ok: false; errors: RuleError[] };

/**
 * Reads a lookup table. CSV: a header row, then one row per key; the key column is `keyColumn`, else
 * the first. JSON: an array of objects (key column `keyColumn`, else the first object's first
 * property), or an object of objects keyed by the key (stored under `keyColumn`, default `key`).
 * Cells must be text or numbers (numbers become text); keys must be unique and non-empty.
 */
export function parseLookupTable(
  name: string,
  text: string,
  format: 'csv' | 'json',
  keyColumn?: string,
): TableParseResult {
  return format === 'csv' ? parseCsvTable(name, text, keyColumn) : parseJsonTable(name, text, keyColumn);
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function parseCsvTable(name: string, text: string, keyColumn: string | undefined): TableParseResult {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, { info: true, skip_empty_lines: true, bom: true }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      errors: [{ message: `CSV: ${message}`, path: '', ...(typeof line === 'number' ? { line } : {}) }],
    };
  }
  if (records.length === 0)
    return { ok: false, errors: [{ message: 'CSV: the table needs a header row', path: '', line: 1 }] };
  const [header, ...body] = records;
  const columns = header.record.map((column) => column.trim());
  const errors: RuleError[] = [];
  columns.forEach((column, index) => {
    if (column === '')
      errors.push({ message: `column ${index + 1} has no name`, path: '', line: header.info.lines });
    else if (columns.indexOf(column) !== index) {
      errors.push({ message: `column "${column}" appears twice`, path: '', line: header.info.lines });
    }
  });
  const key = keyColumn ?? columns[0];
  const keyIndex = columns.indexOf(key);
  if (keyIndex === -1) {
    errors.push({
      message: `key column "${key}" is not in the header (${columns.join(', ')})`,
      path: '',
      line: header.info.lines,
    });
  }
  if (errors.length) return { ok: false, errors };
  const rows = new Map<string, Readonly<Record<string, string>>>();
  const firstLine = new Map<string, number>();
  for (const { record, info } of body) {
    const rowKey = record[keyIndex];
    const line = info.lines;
    if (rowKey === undefined || rowKey === '') {
      errors.push({ message: `row has no value in key column "${key}"`, path: '', line });
      continue;
    }
    if (rows.has(rowKey)) {
      errors.push({
        message: `key "${rowKey}" repeats the row on line ${firstLine.get(rowKey)}`,
        path: '',
        line,
      });
      continue;
    }
    const row = Object.create(null) as Record<string, string>;
    columns.forEach((column, index) => (row[column] = record[index] ?? ''));
    rows.set(rowKey, Object.freeze(row));
    firstLine.set(rowKey, line);
  }
  return errors.length ? { ok: false, errors } : { ok: true, table: { name, keyColumn: key, rows } };
}

function parseJsonTable(name: string, text: string, keyColumn: string | undefined): TableParseResult {
  const loaded = loadSource(text, 'json');
  if (!loaded.ok) return loaded;
  const { value, locate } = loaded.source;
  const errors: RuleError[] = [];
  const error = (path: string, message: string): void => {
    errors.push({ message, path, ...(locate(path, 'value') ?? {}) });
  };
  const rows = new Map<string, Readonly<Record<string, string>>>();

  const toRow = (raw: unknown, path: string): Record<string, string> | undefined => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      error(path, 'each row must be an object of column: value');
      return undefined;
    }
    const row = Object.create(null) as Record<string, string>;
    for (const [column, cell] of Object.entries(raw)) {
      if (typeof cell === 'string') row[column] = cell;
      else if (typeof cell === 'number' || typeof cell === 'boolean') row[column] = String(cell);
      else error(childPath(path, column), `cell "${column}" must be text or a number`);
    }
    return row;
  };

  let key = keyColumn ?? 'key';
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (keyColumn === undefined && typeof first === 'object' && first !== null) {
      key = Object.keys(first)[0] ?? key;
    }
    value.forEach((item, index) => {
      const path = childPath('', index);
      const row = toRow(item, path);
      if (!row) return;
      const rowKey = row[key];
      if (rowKey === undefined || rowKey === '') error(path, `row has no value in key column "${key}"`);
      else if (rows.has(rowKey)) error(childPath(path, key), `key "${rowKey}" appears twice`);
      else rows.set(rowKey, Object.freeze(row));
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [rowKey, item] of Object.entries(value)) {
      const row = toRow(item, childPath('', rowKey));
      if (!row) continue;
      row[key] = rowKey;
      rows.set(rowKey, Object.freeze(row));
    }
  } else {
    error('', 'a JSON lookup table is an array of row objects or an object of rows by key');
  }
  return errors.length ? { ok: false, errors } : { ok: true, table: { name, keyColumn: key, rows } };
}
