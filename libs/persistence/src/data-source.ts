import { DataSource, DataSourceOptions } from 'typeorm';
import { AlertEntity } from './correlator/alert.entity';
import { AlertHistoryEntity } from './correlator/alert-history.entity';
import { TimerEntity } from './correlator/timer.entity';
import { HeartbeatEntity } from './correlator/heartbeat.entity';
import { InhibitRuleEntity, MaintenanceWindowEntity, SilenceTimerEntity } from './correlator/silences.entity';
import { IncidentRuleSetVersionEntity } from './versioned/rule-set-version.entity';
import { IncidentAlertEntity, IncidentEntity, IncidentHistoryEntity } from './correlator/incident.entity';
import { ApiKeyEntity } from './ingest/api-key.entity';
import { EventOccurrenceEntity } from './correlator/event-occurrence.entity';
import { OutboxEntity } from './correlator/outbox.entity';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const ALL_ENTITIES = [
  AlertEntity,
  EventOccurrenceEntity,
  OutboxEntity,
  AlertHistoryEntity,
  TimerEntity,
  MaintenanceWindowEntity,
  InhibitRuleEntity,
  SilenceTimerEntity,
  HeartbeatEntity,
  ApiKeyEntity,
  IncidentRuleSetVersionEntity,
  IncidentEntity,
  IncidentAlertEntity,
  IncidentHistoryEntity,
];

export const MIGRATIONS_TABLE = 'vigil_migrations';

export interface DatabaseOptions {
  url: string;
  /** Shown in pg_stat_activity, so a DBA can tell the services apart. */
  applicationName: string;
  poolSize?: number;
  /** A service's own entities, beside the shared ones: the tables it alone owns (e.g. the classifier's). */
  entities?: readonly (new () => object)[];
}

/** The one place TypeORM is configured: migrations only, never `synchronize`. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: [...ALL_ENTITIES, ...(options.entities ?? [])],
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
