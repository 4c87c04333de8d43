import { HttpException, HttpStatus } from '@nestjs/common';
import { errors } from '@nats-io/transport-node';
import { describeFieldErrors } from '@vigil/contracts';
import { RpcError } from '@vigil/messaging';
import { RetryLaterException } from '@vigil/runtime';

/** How long a caller should wait before retrying when the correlator could not be reached. */
export const RETRY_AFTER_SECONDS = 5;

/** What the operator call was about, for messages that help the caller retry safely. */
export interface RpcCallContext {
  /** The command id sent, so that a caller who let the API generate one can still retry with it. */
  commandId?: string;
  timeoutMs?: number;
  /** Who answers the request, for messages: the correlator unless said otherwise. */
  service?: string;
}

const body = (status: HttpStatus, error: string, message: string, extra: Record<string, unknown> = {}) => ({
  statusCode: status,
  error,
  message,
  ...extra,
});

/**
 * The HTTP answer to a failed request to the correlator, or undefined when the error is neither a
 * refusal from the correlator nor NATS failing to carry the request (a bug: let it be a 500).
 */
export function httpErrorOf(error: unknown, context: RpcCallContext = {}): HttpException | undefined {
  if (error instanceof RpcError) {
    switch (error.code) {
      case 'invalid_request': {
        const errors = error.details ?? [];
        const message = errors.length ? `invalid request: ${describeFieldErrors(errors)}` : error.message;
        return new HttpException(
          body(HttpStatus.BAD_REQUEST, 'Bad Request', message, { errors }),
          HttpStatus.BAD_REQUEST,
        );
      }
      case 'not_found':
        return new HttpException(
          body(HttpStatus.NOT_FOUND, 'Not Found', error.message),
          HttpStatus.NOT_FOUND,
        );
      case 'conflict':
        return new HttpException(body(HttpStatus.CONFLICT, 'Conflict', error.message), HttpStatus.CONFLICT);
      case 'internal':
        // The correlator answered but failed: a gateway error, not this service's.
        return new HttpException(
          body(
            HttpStatus.BAD_GATEWAY,
            'Bad Gateway',
            `the ${context.service ?? 'correlator'} failed: ${error.message}`,
          ),
          HttpStatus.BAD_GATEWAY,
        );
    }
  }
  const unavailable = unavailableReason(error, context);
  if (!unavailable) return undefined;
  const retry = context.commandId ? { commandId: context.commandId } : {};
  return new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE, unavailable, RETRY_AFTER_SECONDS, retry);
}

function unavailableReason(error: unknown, context: RpcCallContext): string | undefined {
  const service = context.service ?? 'correlator';
  const retryHint = context.commandId
    ? `; retry with commandId "${context.commandId}" (a repeat is applied once)`
    : '; retry later';
  if (error instanceof errors.TimeoutError) {
    const within = context.timeoutMs === undefined ? '' : ` within ${context.timeoutMs} ms`;
    // The request may have reached the correlator: say so, so nobody assumes it did nothing.
    return `the ${service} did not answer${within}; the change may still be applied${retryHint}`;
  }
  if (error instanceof errors.RequestError && error.isNoResponders()) {
    return `no ${service} is answering${retryHint}`;
  }
  if (
    error instanceof errors.RequestError ||
    error instanceof errors.ConnectionError ||
    error instanceof errors.ClosedConnectionError ||
    error instanceof errors.DrainingConnectionError
  ) {
    return `NATS is unavailable (${error.message})${retryHint}`;
  }
  return undefined;
}
