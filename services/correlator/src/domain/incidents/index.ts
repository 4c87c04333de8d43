export { firstMatchingRule, groupOf, parseIncidentRule, storedRule } from './incident-rules';
export type { IncidentGroup, IncidentRule } from './incident-rules';
export {
  acceptsAlert,
  addAlert,
  applyIncidentCommand,
  incidentTitle,
  startIncident,
  updateMember,
  worstSeverity,
} from './incident';
export type {
  AlertFacts,
  IncidentCommand,
  IncidentCommandOutcome,
  IncidentMember,
  IncidentPhase,
  IncidentState,
  IncidentStep,
  IncidentTransition,
} from './incident';
