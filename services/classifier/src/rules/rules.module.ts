import { Module } from '@nestjs/common';
import { ReloadModule } from '../reload/reload.module';
import { StorageModule } from '../storage/storage.module';
import { RuleSetService } from './rule-set.service';
import { RulesController } from './rules.controller';

/** The rule set's history and its HTTP API. */
@Module({
  imports: [StorageModule, ReloadModule],
  controllers: [RulesController],
  providers: [RuleSetService],
  exports: [RuleSetService],
})
export class RulesModule {}
