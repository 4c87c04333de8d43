import { Module } from '@nestjs/common';
import { ReloadModule } from '../reload/reload.module';
import { AcceptedHistory } from './accepted-history';
import { DryRunController } from './dry-run.controller';
import { DryRunService } from './dry-run.service';

/** Trying rules on sample events and on the recent history of the accepted stream. */
@Module({
  imports: [ReloadModule],
  controllers: [DryRunController],
  providers: [DryRunService, AcceptedHistory],
})
export class DryRunModule {}
