import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { NotifierConfigModule } from '../config';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryPoller } from './delivery.poller';

/**
 * The delivery log (`notifier.deliveries`) and its poller: whatever queues a notification — a
 * page's escalation step, the transition feed — gets the same sending, retries with back-off, rate
 * limits, idempotency keys and failure announcements. Targets are resolved through the
 * configuration when sent. Settings: `DELIVERY_SETTINGS`.
 */
@Module({
  imports: [ChannelsModule, NotifierConfigModule],
  providers: [DeliveryRepository, DeliveryPoller],
  exports: [DeliveryRepository, DeliveryPoller],
})
export class DeliveryModule {}
