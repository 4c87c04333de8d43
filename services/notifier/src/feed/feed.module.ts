import { Module } from '@nestjs/common';
import { NotifierConfigModule } from '../config';
import { DeliveryModule } from '../delivery';
import { FeedService } from './feed.service';

/**
 * The transition feed of `NOTIFIER_WEBHOOK_URLS`: which alert transitions it carries and the
 * deliveries it queues. Its receivers are configuration (`NotifierConfig`); the delivery log
 * sends to them.
 */
@Module({
  imports: [NotifierConfigModule, DeliveryModule],
  providers: [FeedService],
  exports: [FeedService],
})
export class FeedModule {}
