import { Module } from '@nestjs/common';
import { ReloadModule } from '../reload/reload.module';
import { StorageModule } from '../storage/storage.module';
import { LookupTablesService } from './lookup-tables.service';
import { TablesController } from './tables.controller';

/** Lookup tables rules enrich events from, and their HTTP API. */
@Module({
  imports: [StorageModule, ReloadModule],
  controllers: [TablesController],
  providers: [LookupTablesService],
})
export class TablesModule {}
