import { Module } from '@nestjs/common';
import { FeedModule } from '../feed';
import { PagingModule } from '../paging';
import { ChangesHandler } from './changes.handler';

/** The entry point of the correlator's alert and incident changes (`notifier-alerts`, `notifier-incidents`). */
@Module({
  imports: [PagingModule, FeedModule],
  controllers: [ChangesHandler],
})
export class ChangesModule {}
