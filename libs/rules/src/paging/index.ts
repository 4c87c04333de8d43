export { formatDuration, parseDuration } from './duration';
export {
  ESCALATION_LIMITS,
  ESCALATION_TARGET_TYPES,
  firstEscalation,
  nextEscalation,
  parseEscalationPolicy,
  policyReferences,
} from './policy';
export type {
  EscalationLevel,
  EscalationPolicy,
  EscalationStep,
  EscalationTarget,
  EscalationTargetType,
} from './policy';
export {
  ROUTE_DEFAULTS,
  ROUTING_LIMITS,
  notificationWindow,
  pageGroupOf,
  parseRoutingTree,
  routeById,
  routeFor,
  treeReferences,
} from './routing';
export type { NotificationWindow, Route, RouteMatch, RoutingTree } from './routing';
