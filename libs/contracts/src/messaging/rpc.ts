import type { FieldError } from '../validation';

/** Request/reply subjects (core NATS, queue groups). Prefixed like every other subject. */
export const RpcSubjects = {
  /** Submit one producer event and learn at once whether it was accepted. */
  IngestSubmit: 'rpc.ingest.submit',
} as const;
export type RpcSubject = (typeof RpcSubjects)[keyof typeof RpcSubjects];

export type SubmitEventReplyV1 =
  | { accepted: true; id: string; fingerprint: string; duplicate: boolean }
  | { accepted: false; errors: FieldError[] };

/** Request and reply types per subject: `request()` and handlers are checked against this map. */
export interface RpcContracts {
  'rpc.ingest.submit': { request: unknown; reply: SubmitEventReplyV1 };
}
export type RpcRequestOf<S extends RpcSubject> = RpcContracts[S]['request'];
export type RpcReplyOf<S extends RpcSubject> = RpcContracts[S]['reply'];

/** Every reply is wrapped so that a failure is data, not a timeout. */
export type RpcEnvelope<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: RpcErrorCode; message: string; details?: FieldError[] } };

export type RpcErrorCode = 'invalid_request' | 'not_found' | 'conflict' | 'internal';
