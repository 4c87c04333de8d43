import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { PantherController } from './panther.controller';

/** The Panther console's HTTP event API on top of ingest's core. */
@Module({
  imports: [EventsModule],
  controllers: [PantherController],
})
export class PantherModule {}
