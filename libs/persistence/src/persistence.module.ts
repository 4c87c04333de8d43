import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorResult, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseOptions, dataSourceOptions } from './data-source';
import { SqlPool } from './sql-pool';

/** Refuses to start a service against a schema older than its code. */
@Injectable()
export class MigrationsCurrentCheck implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    if (await this.dataSource.showMigrations()) {
      throw new Error(
        'the database has pending migrations: run `npm run migrate` (or the Helm migrations Job) first',
      );
    }
  }
}

/** Readiness: Postgres answers `SELECT 1` within two seconds. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(private readonly typeorm: TypeOrmHealthIndicator) {}

  check(): Promise<HealthIndicatorResult> {
    return this.typeorm.pingCheck('postgres', { timeout: 2000 });
  }
}

@Module({})
export class PersistenceModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions(options), retryAttempts: 20, retryDelay: 2000 }),
        TerminusModule,
      ],
      providers: [MigrationsCurrentCheck, DatabaseHealthIndicator, SqlPool],
      exports: [DatabaseHealthIndicator, SqlPool],
    };
  }
}
