import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';

/**
 * A statement prepared once per connection: Postgres parses and plans it the first times only.
 * Unnamed statements (TypeORM's `query`) are planned on every execution, which on the batch
 * statements of the hot path cost more than executing them.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export function statement(name: string, text: string): NamedStatement {
  return { name, text };
}

/**
 * A statement planned at every execution with its actual parameters. For a small lookup on a table
 * that grows from empty (a fresh database, a new partition's worth of events), a prepared
 * statement's cached generic plan can stay a sequential scan chosen while the table was empty; a
 * fresh plan costs a few tens of microseconds and always sees the index.
 */
export function planEachTime(text: string): NamedStatement {
  return { name: '', text };
}

/** Runs named statements on one connection. */
export interface Sql {
  query<R extends QueryResultRow = QueryResultRow>(
    statement: NamedStatement,
    values?: unknown[],
  ): Promise<R[]>;
}

function onClient(client: Pool | PoolClient): Sql {
  return {
    async query<R extends QueryResultRow>(named: NamedStatement, values: unknown[] = []) {
      const result = await client.query<R>({ name: named.name || undefined, text: named.text, values });
      return result.rows;
    },
  };
}

/**
 * The connection pool TypeORM opened, used directly with prepared statements where per-message SQL
 * must be cheap. Same pool, same settings; TypeORM stays in charge of connecting and closing it.
 */
@Injectable()
export class SqlPool implements Sql {
  private readonly pool: Pool;
  private readonly direct: Sql;

  constructor(dataSource: DataSource) {
    // TypeORM keeps its pg Pool on the driver as `master` (no replication configured).
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.direct = onClient(this.pool);
  }

  query<R extends QueryResultRow = QueryResultRow>(
    named: NamedStatement,
    values: unknown[] = [],
  ): Promise<R[]> {
    return this.direct.query<R>(named, values);
  }

  /** BEGIN … COMMIT on one connection; any error rolls back and is rethrown. */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(onClient(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is discarded rather than returned to the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
