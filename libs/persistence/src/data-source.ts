import { DataSource, DataSourceOptions } from 'typeorm';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The only entity every connection knows: `ingest.api_keys`, written by ingest and by the
 * `vigil apikey` command through one `ApiKeyRepository`. A service's own tables are mapped in that service
 * and registered through `DatabaseOptions.entities`.
 */
export const SHARED_ENTITIES = [ApiKeyEntity];

export const MIGRATIONS_TABLE = 'vigil_migrations';

export interface DatabaseOptions {
  url: string;
  /** Shown in pg_stat_activity, so a DBA can tell the services apart. */
  applicationName: string;
  poolSize?: number;
  /**
   * The service's own entities, beside the shared ones: the tables it writes, or read models of
   * another service's tables (the query service's).
   */
  entities?: readonly (new () => object)[];
}

/** The one place TypeORM is configured: migrations only, never `synchronize`. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: [...SHARED_ENTITIES, ...(options.entities ?? [])],
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    logging: ['error'],
  };
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}
