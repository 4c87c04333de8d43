import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { ActiveRules } from './active-rules';
import { RulesReloader } from './rules-reloader';

/** The rule set and tables this replica classifies with, kept current across replicas. */
@Module({
  imports: [StorageModule],
  providers: [ActiveRules, RulesReloader],
  exports: [ActiveRules, RulesReloader],
})
export class ReloadModule {}
