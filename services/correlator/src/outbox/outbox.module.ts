import { Module } from '@nestjs/common';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxPoller } from './outbox.poller';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/**
 * The correlator's outbox: changes are queued in the transaction that made them (`insertOutbox`)
 * and relayed to JetStream by the poller, which their writers `kick`. Configured by the root
 * wiring (`OUTBOX_SETTINGS`).
 */
@Module({
  providers: [OutboxRepository, OutboxService, OutboxPoller, OutboxMetrics],
  exports: [OutboxPoller],
})
export class OutboxModule {}
