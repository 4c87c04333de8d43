// What other folders may use of heartbeats/.
export { HeartbeatsModule } from './heartbeats.module';
export { HeartbeatTracker } from './heartbeat-tracker';
export { HEARTBEAT_OPTIONS } from './heartbeat-options';
export type { HeartbeatOptions } from './heartbeat-options';
