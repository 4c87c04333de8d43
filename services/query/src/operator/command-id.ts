import { BadRequestException } from '@nestjs/common';
import { COMMAND_LIMITS, EVENT_ID_PATTERN, FieldError } from '@vigil/contracts';
import { randomUUID } from 'node:crypto';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The command id (idempotency key) of an operator command: the body's `commandId`, else the
 * `Idempotency-Key` header, else a new UUID. The same id again for the same target returns the
 * first result and changes nothing, so a client that may retry should send one of the first two.
 */
export function resolveCommandId(
  fromBody: string | undefined,
  header: string | string[] | undefined,
  generate: () => string = randomUUID,
): string {
  if (fromBody !== undefined) return fromBody;
  const key = (Array.isArray(header) ? header[0] : header)?.trim();
  if (key === undefined || key === '') return generate();
  const problem = idempotencyKeyProblem(key);
  if (problem) {
    const errors: FieldError[] = [{ field: 'Idempotency-Key', reason: problem }];
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `invalid request: Idempotency-Key: ${problem}`,
      errors,
    });
  }
  return key;
}

/** The header becomes the contract's `commandId`, so it obeys the same rules. */
function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length > COMMAND_LIMITS.commandIdLength)
    return `must be at most ${COMMAND_LIMITS.commandIdLength} characters`;
  if (!EVENT_ID_PATTERN.test(key)) return 'must be printable ASCII without spaces';
  return undefined;
}
