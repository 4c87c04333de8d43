import { Injectable, NotFoundException } from '@nestjs/common';
import { LookupTable, parseLookupTable } from '@vigil/rules';
import { documentErrorsException, fieldErrorsException } from '../http/errors';
import { parseStoredTable } from '../reload/compile';
import { LookupTableFormat } from '../storage/lookup-table-version.entity';
import { LookupTableRepository, LookupTableVersionInfo } from '../storage/lookup-table.repository';
import { RulesReloader } from '../reload/rules-reloader';
import { TABLE_NAME_PATTERN } from './lookup-table.dto';

export interface TableUpload {
  name: string;
  content: string;
  format: LookupTableFormat;
  keyColumn?: string;
  author: string;
}

export interface TableView extends Omit<LookupTableVersionInfo, 'createdAt' | 'deleted'> {
  createdAt: string;
  /** Number of rows (distinct keys). */
  rows: number;
  columns: string[];
}

export interface TableRows extends Omit<TableView, 'rows'> {
  rows: Readonly<Record<string, string>>[];
}

function columnsOf(table: LookupTable): string[] {
  const columns = new Set<string>([table.keyColumn]);
  for (const row of table.rows.values()) for (const column of Object.keys(row)) columns.add(column);
  return [...columns];
}

function view(stored: LookupTableVersionInfo, table: LookupTable): TableView {
  return {
    name: stored.name,
    version: stored.version,
    format: stored.format,
    keyColumn: stored.keyColumn,
    author: stored.author,
    createdAt: stored.createdAt.toISOString(),
    rows: table.rows.size,
    columns: columnsOf(table),
  };
}

export function checkTableName(name: string): void {
  if (!TABLE_NAME_PATTERN.test(name)) {
    throw fieldErrorsException('invalid table name', [
      {
        field: 'name',
        reason: 'must start with a letter or "_" and contain only letters, digits, "_" and "-" (at most 64)',
      },
    ]);
  }
}

/** Lookup tables rules enrich events from: each upload a new version, every replica told. */
@Injectable()
export class LookupTablesService {
  constructor(
    private readonly repository: LookupTableRepository,
    private readonly reloader: RulesReloader,
  ) {}

  async upload(upload: TableUpload): Promise<TableView> {
    checkTableName(upload.name);
    const parsed = parseLookupTable(upload.name, upload.content, upload.format, upload.keyColumn);
    if (!parsed.ok) throw documentErrorsException(`lookup table "${upload.name}"`, parsed.errors);
    const saved = await this.repository.save({
      name: upload.name,
      content: upload.content,
      format: upload.format,
      // The effective key column is stored, so the table means the same if the default changes.
      keyColumn: parsed.table.keyColumn,
      author: upload.author,
    });
    await this.reloader.announceChange({ kind: 'lookup_table', name: saved.name, version: saved.version });
    return view(saved, parsed.table);
  }

  async list(): Promise<{ tables: TableView[] }> {
    const tables = await this.repository.currentAll();
    return {
      tables: tables.flatMap((stored) => {
        const parsed = parseStoredTable(stored);
        return parsed.ok ? [view(stored, parsed.table)] : [];
      }),
    };
  }

  async rows(name: string): Promise<TableRows> {
    checkTableName(name);
    const stored = await this.repository.current(name);
    if (!stored) throw new NotFoundException(`no lookup table "${name}"`);
    const parsed = parseStoredTable(stored);
    if (!parsed.ok) throw documentErrorsException(`stored lookup table "${name}"`, parsed.errors);
    return { ...view(stored, parsed.table), rows: [...parsed.table.rows.values()] };
  }

  async delete(name: string, author: string): Promise<{ name: string; version: number; deleted: true }> {
    checkTableName(name);
    const deleted = await this.repository.delete(name, author);
    if (!deleted) throw new NotFoundException(`no lookup table "${name}"`);
    await this.reloader.announceChange({ kind: 'lookup_table', name, version: deleted.version });
    return { name, version: deleted.version, deleted: true };
  }
}
