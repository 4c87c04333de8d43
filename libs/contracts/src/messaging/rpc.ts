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
}
export type RpcRequestOf<S extends RpcSubject> = RpcContracts[S]['request'];
export type RpcReplyOf<S extends RpcSubject> = RpcContracts[S]['reply'];

/** Every reply is wrapped so that a failure is data, not a timeout. */
export type RpcEnvelope<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: RpcErrorCode; message: string; details?: FieldError[] } };

export type RpcErrorCode = 'invalid_request' | 'not_found' | 'conflict' | 'internal';
