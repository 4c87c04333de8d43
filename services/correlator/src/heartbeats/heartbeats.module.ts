import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { HeartbeatMonitorService } from './heartbeat-monitor.service';
import { HeartbeatMetrics } from './heartbeat.metrics';
import { HeartbeatRegistry } from './heartbeat-registry';
import { HeartbeatTracker } from './heartbeat-tracker';
import { HeartbeatPoller } from './heartbeat.poller';
import { HeartbeatsHandler } from './heartbeats.handler';
import { HeartbeatsRepository } from './heartbeats.repository';
import { PipelineWatermark } from './pipeline-watermark';

/**
 * Heartbeats (missing-event detection): definitions in memory for batches, their API, and the
 * poll that judges deadlines, raising and resolving misses through the alerts module. Offers
 * `HeartbeatTracker`, the `BatchObserver` the root wiring binds for the alerts module. Configured
 * by the root wiring (`HEARTBEAT_SETTINGS`).
 */
@Module({
  imports: [AlertsModule],
  controllers: [HeartbeatsHandler],
  providers: [
    HeartbeatRegistry,
    HeartbeatsRepository,
    HeartbeatMetrics,
    HeartbeatTracker,
    PipelineWatermark,
    HeartbeatMonitorService,
    HeartbeatPoller,
  ],
  exports: [HeartbeatTracker],
})
export class HeartbeatsModule {}
