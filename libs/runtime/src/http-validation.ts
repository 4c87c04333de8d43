import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { describeFieldErrors, flattenValidationErrors } from '@vigil/contracts';

/**
 * Validates HTTP bodies, query strings and params against their DTO classes. A 400 names every bad
 * field and why, in the same shape as ingest's event errors: `{message, errors: [{field, reason}]}`.
 */
export function httpValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
    exceptionFactory: (validationErrors) => {
      const errors = flattenValidationErrors(validationErrors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `invalid request: ${describeFieldErrors(errors)}`,
        errors,
      });
    },
  });
}
