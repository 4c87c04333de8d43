export const HEARTBEAT_SETTINGS = Symbol('HEARTBEAT_SETTINGS');

export interface HeartbeatSettings {
  /** How often each replica looks for due deadlines. */
  pollIntervalMs: number;
  /** How long after the watermark passes a deadline it is judged: the pipeline's own latency. */
  graceMs: number;
  /** How often each replica reloads the definitions other replicas may have changed. */
  refreshIntervalMs: number;
}
