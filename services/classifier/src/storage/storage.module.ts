import { Module } from '@nestjs/common';
import { LookupTableStore, RuleSetStore } from '@vigil/persistence';
import { DataSource } from 'typeorm';

/** The rule set history and lookup tables in Postgres (schema `classifier`). */
@Module({
  providers: [
    { provide: RuleSetStore, inject: [DataSource], useFactory: (db: DataSource) => new RuleSetStore(db) },
    {
      provide: LookupTableStore,
      inject: [DataSource],
      useFactory: (db: DataSource) => new LookupTableStore(db),
    },
  ],
  exports: [RuleSetStore, LookupTableStore],
})
export class StorageModule {}
