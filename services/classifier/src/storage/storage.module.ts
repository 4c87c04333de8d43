import { Module } from '@nestjs/common';
import { RuleSetRepository } from '@vigil/persistence';
import { DataSource } from 'typeorm';
import { LookupTableVersionEntity } from './lookup-table-version.entity';
import { LookupTableRepository } from './lookup-table.repository';
import { RuleSetVersionEntity } from './rule-set-version.entity';

/** The classifier's tables: the connection must know them (`PersistenceModule.forRoot({entities})`). */
export const CLASSIFIER_ENTITIES = [RuleSetVersionEntity, LookupTableVersionEntity];

/** The rule set history and lookup tables in Postgres (schema `classifier`). */
@Module({
  providers: [
    {
      provide: RuleSetRepository,
      inject: [DataSource],
      useFactory: (db: DataSource) => new RuleSetRepository(db, RuleSetVersionEntity),
    },
    {
      provide: LookupTableRepository,
      inject: [DataSource],
      useFactory: (db: DataSource) => new LookupTableRepository(db),
    },
  ],
  exports: [RuleSetRepository, LookupTableRepository],
})
export class StorageModule {}
