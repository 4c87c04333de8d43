import { LessThan, type DataSource, type FindOptionsWhere, type Repository } from 'typeorm';
import { RuleSetFormat, RuleSetVersionColumns } from './rule-set-version.entity';

/** A version as listed: everything but its content. */
export interface RuleSetVersionInfo {
  version: number;
  format: RuleSetFormat;
  author: string;
  comment: string | null;
  createdAt: Date;
  rolledBackFrom: number | null;
}

export interface RuleSetVersion extends RuleSetVersionInfo {
  content: string;
}

export interface NewRuleSetVersion {
  content: string;
  format: RuleSetFormat;
  author: string;
  comment?: string | null;
  rolledBackFrom?: number | null;
  /**
   * The version the new content was derived from (an edit of one rule in it): the save is refused
   * with `StaleRuleSetError` if another version was saved since, so concurrent edits are not lost.
   */
  basedOn?: number;
}

/** Another version was saved since the one an edit was based on: read again and redo the edit. */
export class StaleRuleSetError extends Error {
  constructor(basedOn: number, latest: number) {
    super(`the rule set changed while it was being edited (edited version ${basedOn}, now ${latest})`);
    this.name = 'StaleRuleSetError';
  }
}

const INFO_COLUMNS = {
  version: true,
  format: true,
  author: true,
  comment: true,
  createdAt: true,
  rolledBackFrom: true,
} as const;

function info(row: RuleSetVersionColumns): RuleSetVersionInfo {
  return {
    version: row.version,
    format: row.format,
    author: row.author,
    comment: row.comment,
    createdAt: row.createdAt,
    rolledBackFrom: row.rolledBackFrom,
  };
}

const full = (row: RuleSetVersionColumns): RuleSetVersion => ({ ...info(row), content: row.content });

/**
 * A rule set's history: append-only, the newest version is the active rule set. Shared by the
 * services that keep such a history, each in its own table: the classifier its rule set, the
 * correlator its correlation rules (`entity` names the table).
 */
export class RuleSetRepository {
  private readonly versions: Repository<RuleSetVersionColumns>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: new () => RuleSetVersionColumns,
  ) {
    this.versions = dataSource.getRepository(entity);
  }

  /** The active rule set, or undefined when none was ever saved. */
  async latest(): Promise<RuleSetVersion | undefined> {
    const [row] = await this.versions.find({ order: { version: 'DESC' }, take: 1 });
    return row ? full(row) : undefined;
  }

  /** The active version number, 0 when none: what replicas compare to decide whether to reload. */
  async latestVersion(): Promise<number> {
    const [row] = await this.versions.find({
      select: { version: true },
      order: { version: 'DESC' },
      take: 1,
    });
    return row?.version ?? 0;
  }

  async get(version: number): Promise<RuleSetVersion | undefined> {
    const row = await this.versions.findOneBy({ version });
    return row ? full(row) : undefined;
  }

  /** The version saved just before `version`, if any. */
  async previous(version: number): Promise<RuleSetVersion | undefined> {
    const [row] = await this.versions.find({
      where: { version: LessThan(version) },
      order: { version: 'DESC' },
      take: 1,
    });
    return row ? full(row) : undefined;
  }

  /** Newest first, without contents; `before` pages back through the history. */
  async list(options: { limit: number; before?: number }): Promise<RuleSetVersionInfo[]> {
    const where: FindOptionsWhere<RuleSetVersionColumns> =
      options.before === undefined ? {} : { version: LessThan(options.before) };
    const rows = await this.versions.find({
      select: INFO_COLUMNS,
      where,
      order: { version: 'DESC' },
      take: options.limit,
    });
    return rows.map(info);
  }

  /** Appends a version; it becomes the active rule set when the transaction commits. */
  async save(request: NewRuleSetVersion): Promise<RuleSetVersion> {
    return this.dataSource.transaction(async (manager) => {
      // Two operators saving at once must get consecutive versions, not a primary-key error: the
      // lock serialises writers only; readers (every replica's reload) are not blocked.
      await manager.query(`LOCK TABLE ${this.versions.metadata.tablePath} IN SHARE ROW EXCLUSIVE MODE`);
      const [{ next }] = await manager.query<{ next: number }[]>(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM ${this.versions.metadata.tablePath}`,
      );
      if (request.basedOn !== undefined && request.basedOn !== next - 1) {
        throw new StaleRuleSetError(request.basedOn, next - 1);
      }
      const row = manager.create(this.entity, {
        version: next,
        content: request.content,
        format: request.format,
        author: request.author,
        comment: request.comment ?? null,
        createdAt: new Date(),
        rolledBackFrom: request.rolledBackFrom ?? null,
      });
      await manager.insert(this.entity, row);
      return full(row);
    });
  }
}
