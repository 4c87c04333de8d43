import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { ActiveRules } from './active-rules';
import { RulesChangeAnnouncer } from './rules-change-announcer';
import { RulesReloader } from './rules-reloader';

/** The rule set and tables this replica classifies with, kept current across replicas. */
@Module({
  imports: [StorageModule],
  providers: [ActiveRules, RulesReloader, RulesChangeAnnouncer],
  exports: [ActiveRules, RulesReloader, RulesChangeAnnouncer],
})
export class ReloadModule {}
