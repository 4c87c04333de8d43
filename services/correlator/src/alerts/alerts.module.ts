import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox';
import { AlertChangeCounter } from './alert-change.counter';
import { AlertsRepository } from './alerts.repository';
import { ClassifiedEventsHandler } from './classified-events.handler';
import { CorrelationService } from './correlation.service';

/**
 * Alerts, the core every path writes through: events (de-duplication, the lifecycle, pairing), and
 * through `CorrelationService.transaction` commands, timers, silence passes and heartbeat misses.
 *
 * Needs from the root wiring: `LifecycleConfig`, and the features implementing what a batch
 * consults — `ALERT_SILENCES` (silences) and `BATCH_OBSERVER` (heartbeats). Those features sit above
 * this module and import it; the interfaces are this module's own.
 */
@Module({
  imports: [OutboxModule],
  controllers: [ClassifiedEventsHandler],
  providers: [AlertsRepository, AlertChangeCounter, CorrelationService],
  exports: [CorrelationService],
})
export class AlertsModule {}
