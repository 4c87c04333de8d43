export {
  ESCALATION_LIMITS,
  ESCALATION_TARGET_TYPES,
  firstEscalation,
  nextEscalation,
  parseEscalationPolicy,
  policyReferences,
} from './escalation-policy';
export type {
  EscalationLevel,
  EscalationPolicy,
  EscalationStep,
  EscalationTarget,
  EscalationTargetType,
} from './escalation-policy';
