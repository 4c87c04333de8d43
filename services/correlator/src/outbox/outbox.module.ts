import { Module } from '@nestjs/common';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxPoller } from './outbox.poller';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/**
 * The correlator's outbox: changes are queued in the transaction that made them (`insertOutbox`),
 * published by their writer once it commits (`OutboxService.publishCommitted`), and relayed by the
 * poller when the writer did not. Configured by the root wiring (`OUTBOX_SETTINGS`).
 */
@Module({
  providers: [OutboxRepository, OutboxService, OutboxPoller, OutboxMetrics],
  exports: [OutboxPoller, OutboxService],
})
export class OutboxModule {}
