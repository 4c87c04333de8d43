import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
} from '@nestjs/common';
import { describeFieldErrors, FieldError } from '@vigil/contracts';
import { errorText } from '@vigil/messaging';
import type { IngestOutcome, Refusal } from '../events/ingest.service';
import { RetryLaterException } from '@vigil/runtime';

export interface AcceptedBody {
  id: string;
  fingerprint: string;
  duplicate: boolean;
}

const STATUS_OF_REFUSAL: Record<Refusal, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  forbidden: HttpStatus.FORBIDDEN,
};

export function statusOfRefusal(refusal: Refusal): HttpStatus {
  return STATUS_OF_REFUSAL[refusal];
}

export function statusOf(outcome: IngestOutcome): HttpStatus {
  return outcome.accepted ? HttpStatus.ACCEPTED : STATUS_OF_REFUSAL[outcome.refusal];
}

/** The HTTP error for a refused event: its status, a one-line message and every field error. */
export function refusalException(refusal: Refusal, errors: FieldError[], what = 'event'): HttpException {
  const message = `invalid ${what}: ${describeFieldErrors(errors)}`;
  switch (refusal) {
    case 'invalid':
      return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, errors });
    case 'too_large':
      return new PayloadTooLargeException({ statusCode: 413, error: 'Payload Too Large', message, errors });
    case 'forbidden':
      return new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: describeFieldErrors(errors),
        errors,
      });
  }
}

/**
 * Runs an ingest call and turns a failure to store (NATS down, no PubAck in time) into 503 with
 * Retry-After: the producer must retry, and with the same id the retry cannot duplicate.
 */
export async function storing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpException) throw error;
    throw new RetryLaterException(
      HttpStatus.SERVICE_UNAVAILABLE,
      `event not stored, retry later: ${errorText(error)}`,
      1,
    );
  }
}
