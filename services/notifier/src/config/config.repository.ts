import { Injectable } from '@nestjs/common';
import type { NotifierObjectKind } from '@vigil/contracts';
import { Sql, SqlPool, statement } from '@vigil/persistence';

export interface StoredObject {
  kind: NotifierObjectKind;
  id: string;
  body: Record<string, unknown>;
  revision: number;
  updatedBy: string;
  updatedAt: Date;
}

export interface ObjectWrite {
  kind: NotifierObjectKind;
  id: string;
  actor: string;
  comment?: string;
}

export interface ObjectPut extends ObjectWrite {
  body: Record<string, unknown>;
  /** The revision the writer read: the write is refused unless it is still the stored one (0: absent). */
  basedOnRevision?: number;
}

/** The stored revision is not the one the writer read. */
export class StaleObjectError extends Error {
  constructor(
    readonly kind: NotifierObjectKind,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      actual === 0
        ? `${kind} "${id}" does not exist (expected revision ${expected})`
        : expected === 0
          ? `${kind} "${id}" already exists (revision ${actual})`
          : `${kind} "${id}" is at revision ${actual}, not ${expected}: it was changed since it was read`,
    );
    this.name = 'StaleObjectError';
  }
}

interface ObjectRow {
  kind: NotifierObjectKind;
  id: string;
  body: Record<string, unknown>;
  revision: number;
  updated_by: string;
  updated_at: Date;
}

const COLUMNS = 'kind, id, body, revision, updated_by, updated_at';

// Writes take one transaction-scoped lock, so they run one after another: the checks see every
// object as it will be when they commit, and history versions commit in the order they are
// numbered (a replica that has read version N has seen everything up to N).
const LOCK = statement(
  'notifier-config-lock',
  `SELECT pg_advisory_xact_lock(hashtext('vigil.notifier.config'))`,
);

const GET = statement(
  'notifier-config-get',
  `SELECT ${COLUMNS} FROM notifier.config_objects WHERE kind = $1 AND id = $2`,
);

const LIST_KIND = statement(
  'notifier-config-list-kind',
  `SELECT ${COLUMNS} FROM notifier.config_objects WHERE kind = $1 ORDER BY id`,
);

const LIST_ALL = statement(
  'notifier-config-list',
  `SELECT ${COLUMNS} FROM notifier.config_objects ORDER BY kind, id`,
);

const VERSION = statement(
  'notifier-config-version',
  'SELECT coalesce(max(version), 0)::bigint AS version FROM notifier.config_history',
);

const UPSERT = statement(
  'notifier-config-upsert',
  `INSERT INTO notifier.config_objects (kind, id, body, revision, updated_by, updated_at)
   VALUES ($1, $2, $3::jsonb, 1, $4, now())
   ON CONFLICT (kind, id) DO UPDATE
     SET body = excluded.body, revision = config_objects.revision + 1,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at
   RETURNING ${COLUMNS}`,
);

const DELETE = statement(
  'notifier-config-delete',
  `DELETE FROM notifier.config_objects WHERE kind = $1 AND id = $2 RETURNING ${COLUMNS}`,
);

const HISTORY = statement(
  'notifier-config-history',
  `INSERT INTO notifier.config_history (kind, object_id, revision, body, changed_by, comment)
   VALUES ($1, $2, $3, $4::jsonb, $5, $6)
   RETURNING version::bigint AS version`,
);

function stored(row: ObjectRow): StoredObject {
  return {
    kind: row.kind,
    id: row.id,
    body: row.body,
    revision: row.revision,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** What a write's check is given: every stored object, read under the write lock. */
export type WriteCheckFn = (objects: StoredObject[]) => void;

/**
 * `notifier.config_objects` (one row per object, its revision +1 per replacement) and
 * `notifier.config_history` (every save and delete, in order; its latest `version` is the
 * configuration's version). Each write is one transaction with its history row.
 */
@Injectable()
export class NotifierConfigRepository {
  constructor(private readonly sql: SqlPool) {}

  async get(kind: NotifierObjectKind, id: string): Promise<StoredObject | undefined> {
    const [row] = await this.sql.query<ObjectRow>(GET, [kind, id]);
    return row && stored(row);
  }

  /** Every object of one kind, or of every kind, by id. */
  async list(kind?: NotifierObjectKind): Promise<StoredObject[]> {
    const rows = kind
      ? await this.sql.query<ObjectRow>(LIST_KIND, [kind])
      : await this.sql.query<ObjectRow>(LIST_ALL);
    return rows.map(stored);
  }

  /** The latest history version: 0 before the first save. */
  async version(): Promise<number> {
    const [row] = await this.sql.query<{ version: string }>(VERSION);
    return Number(row.version);
  }

  /**
   * Everything, with the version it is at (or newer: the version is read first, so a save in
   * between makes the next comparison reload again rather than miss it).
   */
  async load(): Promise<{ version: number; objects: StoredObject[] }> {
    const version = await this.version();
    return { version, objects: await this.list() };
  }

  /**
   * Creates or replaces an object. `check` sees every stored object before the write and throws
   * to refuse it. Throws StaleObjectError when `basedOnRevision` is not the stored revision.
   */
  put(write: ObjectPut, check?: WriteCheckFn): Promise<{ object: StoredObject; version: number }> {
    return this.sql.transaction(async (tx) => {
      const objects = await this.locked(tx);
      const current = objects.find((o) => o.kind === write.kind && o.id === write.id);
      const revision = current?.revision ?? 0;
      if (write.basedOnRevision !== undefined && write.basedOnRevision !== revision) {
        throw new StaleObjectError(write.kind, write.id, write.basedOnRevision, revision);
      }
      check?.(objects);
      const [row] = await tx.query<ObjectRow>(UPSERT, [
        write.kind,
        write.id,
        JSON.stringify(write.body),
        write.actor,
      ]);
      const version = await this.history(tx, write, row.revision, write.body);
      return { object: stored(row), version };
    });
  }

  /** Deletes an object; undefined when there is none. `check` as for `put`. */
  delete(
    write: ObjectWrite,
    check?: WriteCheckFn,
  ): Promise<{ object: StoredObject; version: number } | undefined> {
    return this.sql.transaction(async (tx) => {
      const objects = await this.locked(tx);
      if (!objects.some((o) => o.kind === write.kind && o.id === write.id)) return undefined;
      check?.(objects);
      const [row] = await tx.query<ObjectRow>(DELETE, [write.kind, write.id]);
      const version = await this.history(tx, write, row.revision, null);
      return { object: stored(row), version };
    });
  }

  private async locked(tx: Sql): Promise<StoredObject[]> {
    await tx.query(LOCK);
    return (await tx.query<ObjectRow>(LIST_ALL)).map(stored);
  }

  private async history(
    tx: Sql,
    write: ObjectWrite,
    revision: number,
    body: Record<string, unknown> | null,
  ): Promise<number> {
    const [row] = await tx.query<{ version: string }>(HISTORY, [
      write.kind,
      write.id,
      revision,
      body === null ? null : JSON.stringify(body),
      write.actor,
      write.comment ?? null,
    ]);
    return Number(row.version);
  }
}
