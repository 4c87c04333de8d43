export {
  heartbeatFields,
  heartbeatMatches,
  MAX_HEARTBEAT_INTERVAL_SECONDS,
  parseHeartbeat,
} from './heartbeat';
export type { Heartbeat, HeartbeatEvent, ParsedHeartbeat } from './heartbeat';
export { deadlineAfter, expectedAt, judgeDeadline } from './deadlines';
export type { DeadlineVerdict } from './deadlines';
