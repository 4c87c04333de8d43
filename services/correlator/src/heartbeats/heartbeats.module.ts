import { DynamicModule, Module } from '@nestjs/common';
import { HeartbeatMonitor } from './heartbeat-monitor.service';
import { HEARTBEAT_OPTIONS, HeartbeatMetrics, HeartbeatOptions } from './heartbeat-options';
import { HeartbeatRegistry } from './heartbeat-registry';
import { HeartbeatTracker } from './heartbeat-tracker';
import { HeartbeatPoller } from './heartbeat.poller';
import { HeartbeatsHandler } from './heartbeats.handler';
import { HeartbeatsRepository } from './heartbeats.repository';
import { PipelineWatermark } from './pipeline-watermark';

/**
 * Heartbeats (missing-event detection): definitions in memory for batches, their API, and the
 * poll that judges deadlines. Global: the batch path (alerts module) consults the tracker.
 */
@Module({})
export class HeartbeatsModule {
  static register(options: HeartbeatOptions): DynamicModule {
    return {
      module: HeartbeatsModule,
      global: true,
      controllers: [HeartbeatsHandler],
      providers: [
        { provide: HEARTBEAT_OPTIONS, useValue: options },
        HeartbeatRegistry,
        HeartbeatsRepository,
        HeartbeatMetrics,
        HeartbeatTracker,
        PipelineWatermark,
        HeartbeatMonitor,
        HeartbeatPoller,
      ],
      exports: [HeartbeatTracker],
    };
  }
}
