import { BadRequestException } from '@nestjs/common';
import { describeFieldErrors, FieldError } from '@vigil/contracts';

/** A problem at a place in a document the operator wrote: a rule set or a lookup table. */
export interface DocumentError {
  message: string;
  path: string;
  line?: number;
  column?: number;
}

/** How many problems the one-line `message` spells out; `errors` always holds them all. */
const MESSAGE_ERRORS = 5;

function where(error: DocumentError): string {
  const position =
    error.line === undefined
      ? ''
      : error.column === undefined
        ? `line ${error.line}`
        : `line ${error.line}, column ${error.column}`;
  return [position, error.path].filter(Boolean).join(' ');
}

export function describeDocumentErrors(errors: readonly DocumentError[]): string {
  const shown = errors.slice(0, MESSAGE_ERRORS).map((error) => {
    const at = where(error);
    return at ? `${at}: ${error.message}` : error.message;
  });
  const more = errors.length > MESSAGE_ERRORS ? `; and ${errors.length - MESSAGE_ERRORS} more` : '';
  return `${shown.join('; ')}${more}`;
}

/** 400 for a rule set or table that does not parse: every error with its line and column. */
export function documentErrorsException(what: string, errors: readonly DocumentError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `invalid ${what}: ${describeDocumentErrors(errors)}`,
    errors: errors.map((error) => ({
      path: error.path,
      line: error.line ?? null,
      column: error.column ?? null,
      message: error.message,
    })),
  });
}

/** 400 naming each bad request field, in the shape of the global validation pipe. */
export function fieldErrorsException(message: string, errors: FieldError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `${message}: ${describeFieldErrors(errors)}`,
    errors,
  });
}
