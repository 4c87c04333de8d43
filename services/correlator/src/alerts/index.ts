// What other folders may use of alerts/: the module and its write path, the interfaces the
// features above implement, and the pure lifecycle their decisions come from.
export { AlertsModule } from './alerts.module';
export { CorrelationService } from './correlation.service';
export type { TransactionOptions } from './correlation.service';
export type { AlertLocks, CorrelationScope } from './correlation-scope';
export type { CorrelationInput, CorrelationOutcome } from './batch-plan';
export { LifecycleConfig } from './lifecycle-config';
export { ChangeSet } from './change-set';
export { stateOf } from './alert-changes';
export type { Cause } from './alert-changes';
export { alertFields } from './alert-fields';
export {
  announceMaintenanceEnding,
  applyCommand,
  applySilence,
  applyTimer,
  isActive,
  openAlert,
} from './alert-lifecycle';
export type { AlertCommand, AlertState, Decision, LifecyclePolicy, Silence } from './alert-lifecycle';
export { ALERT_SILENCES } from './alert-silences';
export type { AlertSilences, SilenceView } from './alert-silences';
export { BATCH_OBSERVER } from './batch-observer';
export type { BatchObserver, ObservedBatch, ObservedBatchWrites } from './batch-observer';
