// What other folders may use of heartbeats/.
export { HeartbeatsModule } from './heartbeats.module';
export { HeartbeatTracker } from './heartbeat-tracker';
export { HEARTBEAT_SETTINGS } from './heartbeat-settings';
export type { HeartbeatSettings } from './heartbeat-settings';
