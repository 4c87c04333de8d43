import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { NotifierConfigModule } from '../config';
import { DeliveryStore } from './delivery.store';
import { DeliveryWorker } from './delivery.worker';

/**
 * The delivery log (`notifier.deliveries`) and its worker: whatever queues a notification — a
 * page's escalation step, the transition feed — gets the same sending, retries with back-off, rate
 * limits, idempotency keys and failure announcements. Targets are resolved through the
 * configuration when sent. Settings: `DELIVERY_SETTINGS`.
 */
@Module({
  imports: [ChannelsModule, NotifierConfigModule],
  providers: [DeliveryStore, DeliveryWorker],
  exports: [DeliveryStore, DeliveryWorker],
})
export class DeliveryModule {}
