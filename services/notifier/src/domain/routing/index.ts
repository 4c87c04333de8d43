export {
  ROUTE_DEFAULTS,
  ROUTING_LIMITS,
  notificationWindow,
  pageGroupOf,
  parseRoutingTree,
  routeById,
  routeFor,
  treeReferences,
} from './routing-tree';
export type { NotificationWindow, Route, RouteMatch, RoutingTree } from './routing-tree';
