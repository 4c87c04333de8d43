import type { DataSource, Repository } from 'typeorm';
import { LookupTableFormat, LookupTableVersionEntity } from './lookup-table-version.entity';

/** A table version as listed: everything but its content. */
export interface LookupTableVersionInfo {
  name: string;
  version: number;
  format: LookupTableFormat;
  keyColumn: string;
  author: string;
  createdAt: Date;
  deleted: boolean;
}

export interface LookupTableVersion extends LookupTableVersionInfo {
  content: string;
}

/** The newest version of one table: what replicas compare to decide whether to reload it. */
export interface LookupTableHead {
  name: string;
  version: number;
  deleted: boolean;
}

export interface NewLookupTableVersion {
  name: string;
  content: string;
  format: LookupTableFormat;
  keyColumn: string;
  author: string;
}

function info(row: LookupTableVersionEntity): LookupTableVersionInfo {
  return {
    name: row.name,
    version: row.version,
    format: row.format,
    keyColumn: row.keyColumn,
    author: row.author,
    createdAt: row.createdAt,
    deleted: row.deleted,
  };
}

const full = (row: LookupTableVersionEntity): LookupTableVersion => ({ ...info(row), content: row.content });

/** Lookup tables, each name with its own append-only history; the newest version is in force. */
export class LookupTableRepository {
  private readonly versions: Repository<LookupTableVersionEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.versions = dataSource.getRepository(LookupTableVersionEntity);
  }

  /** The newest version of every table ever saved, deleted ones included. */
  async heads(): Promise<LookupTableHead[]> {
    const rows = await this.versions
      .createQueryBuilder('t')
      .select(['t.name', 't.version', 't.deleted'])
      .distinctOn(['t.name'])
      .orderBy('t.name')
      .addOrderBy('t.version', 'DESC')
      .getMany();
    return rows.map((row) => ({ name: row.name, version: row.version, deleted: row.deleted }));
  }

  /** Every table in force (its newest version, unless that is a deletion), by name. */
  async currentAll(): Promise<LookupTableVersion[]> {
    const rows = await this.versions
      .createQueryBuilder('t')
      .distinctOn(['t.name'])
      .orderBy('t.name')
      .addOrderBy('t.version', 'DESC')
      .getMany();
    return rows.filter((row) => !row.deleted).map(full);
  }

  /** The table in force under this name, or undefined when it does not exist or was deleted. */
  async current(name: string): Promise<LookupTableVersion | undefined> {
    const [row] = await this.versions.find({ where: { name }, order: { version: 'DESC' }, take: 1 });
    return row && !row.deleted ? full(row) : undefined;
  }

  async get(name: string, version: number): Promise<LookupTableVersion | undefined> {
    const row = await this.versions.findOneBy({ name, version });
    return row ? full(row) : undefined;
  }

  async save(request: NewLookupTableVersion): Promise<LookupTableVersionInfo> {
    return this.append({ ...request, deleted: false });
  }

  /** Marks a table deleted (a new version); undefined when there is no such table in force. */
  async delete(name: string, author: string): Promise<LookupTableVersionInfo | undefined> {
    const existing = await this.current(name);
    if (!existing) return undefined;
    return this.append({
      name,
      content: '',
      format: existing.format,
      keyColumn: existing.keyColumn,
      author,
      deleted: true,
    });
  }

  private async append(
    request: NewLookupTableVersion & { deleted: boolean },
  ): Promise<LookupTableVersionInfo> {
    return this.dataSource.transaction(async (manager) => {
      // Consecutive versions per table even when two uploads race; readers are not blocked.
      await manager.query(`LOCK TABLE classifier.lookup_table_versions IN SHARE ROW EXCLUSIVE MODE`);
      const [{ next }] = await manager.query<{ next: number }[]>(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM classifier.lookup_table_versions WHERE name = $1`,
        [request.name],
      );
      const row = manager.create(LookupTableVersionEntity, {
        ...request,
        version: next,
        createdAt: new Date(),
      });
      await manager.insert(LookupTableVersionEntity, row);
      return info(row);
    });
  }
}
