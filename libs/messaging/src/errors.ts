import { describeFieldErrors, FieldError, RpcErrorCode } from '@vigil/contracts';

/**
 * A message that can never succeed, however often it is retried: it goes straight to the dead-letter
 * stream (consumers) or back to the caller as an error reply (RPC).
 */
export class UnprocessableMessageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnprocessableMessageError';
  }
}

/** The message broke its contract; the field errors say where and why. */
export class InvalidMessageError extends UnprocessableMessageError {
  constructor(readonly errors: FieldError[]) {
    super(`invalid message: ${describeFieldErrors(errors)}`);
    this.name = 'InvalidMessageError';
  }
}

/** A refusal an RPC handler means to send back as-is, e.g. `not_found`. */
export class RpcFailure extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
