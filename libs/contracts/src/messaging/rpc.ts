import type {
  AcknowledgeAlertV1,
  AddAlertNoteV1,
  AlertCommandReplyV1,
  AssignAlertV1,
  ChangeAlertSeverityV1,
  FindAlertByFingerprintV1,
  FoundAlertV1,
  ResolveAlertV1,
  SnoozeAlertV1,
  UnacknowledgeAlertV1,
} from '../alerts/alert-commands.v1';
import type { CreateHeartbeatV1, HeartbeatV1, UpdateHeartbeatV1 } from '../alerts/heartbeats.v1';
import type {
  CreateInhibitRuleV1,
  CreateMaintenanceWindowV1,
  DeletedSilenceV1,
  DeleteSilenceV1,
  GetSilenceV1,
  InhibitRuleV1,
  ListSilencesV1,
  MaintenanceWindowV1,
  UpdateInhibitRuleV1,
  UpdateMaintenanceWindowV1,
} from '../alerts/silences.v1';
import type {
  AcknowledgeIncidentV1,
  IncidentCommandReplyV1,
  ResolveIncidentV1,
  UnacknowledgeIncidentV1,
} from '../incidents/incident-commands.v1';
import type {
  CreateIncidentRuleV1,
  DeleteIncidentRuleV1,
  GetIncidentRuleSetV1,
  GetIncidentRuleV1,
  IncidentRuleSetV1,
  IncidentRuleSetVersionInfoV1,
  IncidentRuleV1,
  IncidentRuleWriteV1,
  ListIncidentRuleVersionsV1,
  RollbackIncidentRulesV1,
  UpdateIncidentRuleV1,
} from '../incidents/incident-rules.v1';
import type {
  DeletedNotifierObjectV1,
  DeleteNotifierObjectV1,
  GetNotifierObjectV1,
  ListNotifierObjectsV1,
  NotifierObjectV1,
  OnCallV1,
  PutNotifierObjectV1,
  ScheduleShiftsReplyV1,
  ScheduleShiftsV1,
  SendTestNotificationV1,
  TestNotificationReplyV1,
  WhoIsOnCallV1,
} from '../notifier/notifier-config.v1';
import type { FieldError } from '../validation';

/** Request/reply subjects (core NATS, queue groups). Prefixed like every other subject. */
export const RpcSubjects = {
  /** Submit one producer event and learn at once whether it was accepted. */
  IngestSubmit: 'rpc.ingest.submit',
  /** Operator commands on one alert, answered by the correlator (which owns alerts). */
  AlertAcknowledge: 'rpc.correlator.alert.acknowledge',
  AlertUnacknowledge: 'rpc.correlator.alert.unacknowledge',
  AlertAssign: 'rpc.correlator.alert.assign',
  AlertResolve: 'rpc.correlator.alert.resolve',
  AlertSnooze: 'rpc.correlator.alert.snooze',
  AlertChangeSeverity: 'rpc.correlator.alert.change-severity',
  AlertAddNote: 'rpc.correlator.alert.add-note',
  /** The live alert of a fingerprint (`not_found` when there is none). */
  AlertFindByFingerprint: 'rpc.correlator.alert.find-by-fingerprint',
  /** Maintenance windows (silences) and inhibition rules, owned by the correlator. */
  MaintenanceWindowCreate: 'rpc.correlator.maintenance-window.create',
  MaintenanceWindowGet: 'rpc.correlator.maintenance-window.get',
  MaintenanceWindowList: 'rpc.correlator.maintenance-window.list',
  MaintenanceWindowUpdate: 'rpc.correlator.maintenance-window.update',
  MaintenanceWindowDelete: 'rpc.correlator.maintenance-window.delete',
  InhibitRuleCreate: 'rpc.correlator.inhibit-rule.create',
  InhibitRuleGet: 'rpc.correlator.inhibit-rule.get',
  InhibitRuleList: 'rpc.correlator.inhibit-rule.list',
  InhibitRuleUpdate: 'rpc.correlator.inhibit-rule.update',
  InhibitRuleDelete: 'rpc.correlator.inhibit-rule.delete',
  /** Operator commands on one incident. */
  IncidentAcknowledge: 'rpc.correlator.incident.acknowledge',
  IncidentUnacknowledge: 'rpc.correlator.incident.unacknowledge',
  IncidentResolve: 'rpc.correlator.incident.resolve',
  /** Correlation rules: one versioned, ordered set; every write is a new version. */
  IncidentRuleCreate: 'rpc.correlator.incident-rule.create',
  IncidentRuleGet: 'rpc.correlator.incident-rule.get',
  IncidentRuleUpdate: 'rpc.correlator.incident-rule.update',
  IncidentRuleDelete: 'rpc.correlator.incident-rule.delete',
  IncidentRuleSetGet: 'rpc.correlator.incident-rule-set.get',
  IncidentRuleSetVersions: 'rpc.correlator.incident-rule-set.versions',
  IncidentRuleSetRollback: 'rpc.correlator.incident-rule-set.rollback',
  /** Heartbeats (missing-event detection), owned by the correlator. */
  HeartbeatCreate: 'rpc.correlator.heartbeat.create',
  HeartbeatGet: 'rpc.correlator.heartbeat.get',
  HeartbeatList: 'rpc.correlator.heartbeat.list',
  HeartbeatUpdate: 'rpc.correlator.heartbeat.update',
  HeartbeatDelete: 'rpc.correlator.heartbeat.delete',
  /** The notifier's configuration: users, channels, schedules, escalation policies, the routing tree. */
  NotifierObjectPut: 'rpc.notifier.object.put',
  NotifierObjectGet: 'rpc.notifier.object.get',
  NotifierObjectList: 'rpc.notifier.object.list',
  NotifierObjectDelete: 'rpc.notifier.object.delete',
  /** On-call schedules: who is on call at an instant, and the shifts of a span (JSON or iCalendar). */
  NotifierWhoIsOnCall: 'rpc.notifier.schedule.on-call',
  NotifierScheduleShifts: 'rpc.notifier.schedule.shifts',
  /** Sends a test notification to a channel or a user's contact methods, now. */
  NotifierSendTest: 'rpc.notifier.test-notification',
} as const;
export type RpcSubject = (typeof RpcSubjects)[keyof typeof RpcSubjects];

export type SubmitEventReplyV1 =
  | { accepted: true; id: string; fingerprint: string; duplicate: boolean }
  | { accepted: false; errors: FieldError[] };

/** Request and reply types per subject: `request()` and handlers are checked against this map. */
export interface RpcContracts {
  'rpc.ingest.submit': { request: unknown; reply: SubmitEventReplyV1 };
  'rpc.correlator.alert.acknowledge': { request: AcknowledgeAlertV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.unacknowledge': { request: UnacknowledgeAlertV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.assign': { request: AssignAlertV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.resolve': { request: ResolveAlertV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.snooze': { request: SnoozeAlertV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.change-severity': { request: ChangeAlertSeverityV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.add-note': { request: AddAlertNoteV1; reply: AlertCommandReplyV1 };
  'rpc.correlator.alert.find-by-fingerprint': { request: FindAlertByFingerprintV1; reply: FoundAlertV1 };
  'rpc.correlator.maintenance-window.create': {
    request: CreateMaintenanceWindowV1;
    reply: MaintenanceWindowV1;
  };
  'rpc.correlator.maintenance-window.get': { request: GetSilenceV1; reply: MaintenanceWindowV1 };
  'rpc.correlator.maintenance-window.list': { request: ListSilencesV1; reply: MaintenanceWindowV1[] };
  'rpc.correlator.maintenance-window.update': {
    request: UpdateMaintenanceWindowV1;
    reply: MaintenanceWindowV1;
  };
  'rpc.correlator.maintenance-window.delete': { request: DeleteSilenceV1; reply: DeletedSilenceV1 };
  'rpc.correlator.inhibit-rule.create': { request: CreateInhibitRuleV1; reply: InhibitRuleV1 };
  'rpc.correlator.inhibit-rule.get': { request: GetSilenceV1; reply: InhibitRuleV1 };
  'rpc.correlator.inhibit-rule.list': { request: ListSilencesV1; reply: InhibitRuleV1[] };
  'rpc.correlator.inhibit-rule.update': { request: UpdateInhibitRuleV1; reply: InhibitRuleV1 };
  'rpc.correlator.inhibit-rule.delete': { request: DeleteSilenceV1; reply: DeletedSilenceV1 };
  'rpc.correlator.incident.acknowledge': { request: AcknowledgeIncidentV1; reply: IncidentCommandReplyV1 };
  'rpc.correlator.incident.unacknowledge': {
    request: UnacknowledgeIncidentV1;
    reply: IncidentCommandReplyV1;
  };
  'rpc.correlator.incident.resolve': { request: ResolveIncidentV1; reply: IncidentCommandReplyV1 };
  'rpc.correlator.incident-rule.create': { request: CreateIncidentRuleV1; reply: IncidentRuleWriteV1 };
  'rpc.correlator.incident-rule.get': { request: GetIncidentRuleV1; reply: IncidentRuleV1 };
  'rpc.correlator.incident-rule.update': { request: UpdateIncidentRuleV1; reply: IncidentRuleWriteV1 };
  'rpc.correlator.incident-rule.delete': { request: DeleteIncidentRuleV1; reply: IncidentRuleWriteV1 };
  'rpc.correlator.incident-rule-set.get': { request: GetIncidentRuleSetV1; reply: IncidentRuleSetV1 };
  'rpc.correlator.incident-rule-set.versions': {
    request: ListIncidentRuleVersionsV1;
    reply: IncidentRuleSetVersionInfoV1[];
  };
  'rpc.correlator.incident-rule-set.rollback': { request: RollbackIncidentRulesV1; reply: IncidentRuleSetV1 };
  'rpc.correlator.heartbeat.create': { request: CreateHeartbeatV1; reply: HeartbeatV1 };
  'rpc.correlator.heartbeat.get': { request: GetSilenceV1; reply: HeartbeatV1 };
  'rpc.correlator.heartbeat.list': { request: ListSilencesV1; reply: HeartbeatV1[] };
  'rpc.correlator.heartbeat.update': { request: UpdateHeartbeatV1; reply: HeartbeatV1 };
  'rpc.correlator.heartbeat.delete': { request: DeleteSilenceV1; reply: DeletedSilenceV1 };
  'rpc.notifier.object.put': { request: PutNotifierObjectV1; reply: NotifierObjectV1 };
  'rpc.notifier.object.get': { request: GetNotifierObjectV1; reply: NotifierObjectV1 };
  'rpc.notifier.object.list': { request: ListNotifierObjectsV1; reply: NotifierObjectV1[] };
  'rpc.notifier.object.delete': { request: DeleteNotifierObjectV1; reply: DeletedNotifierObjectV1 };
  'rpc.notifier.schedule.on-call': { request: WhoIsOnCallV1; reply: OnCallV1 };
  'rpc.notifier.schedule.shifts': { request: ScheduleShiftsV1; reply: ScheduleShiftsReplyV1 };
  'rpc.notifier.test-notification': { request: SendTestNotificationV1; reply: TestNotificationReplyV1 };
}
export type RpcRequestOf<S extends RpcSubject> = RpcContracts[S]['request'];
export type RpcReplyOf<S extends RpcSubject> = RpcContracts[S]['reply'];

/** Every reply is wrapped so that a failure is data, not a timeout. */
export type RpcEnvelope<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: RpcErrorCode; message: string; details?: FieldError[] } };

export type RpcErrorCode = 'invalid_request' | 'not_found' | 'conflict' | 'internal';
