import { validateSync, ValidationError, ValidatorOptions } from 'class-validator';
import { plainToInstance } from 'class-transformer';

/** One reason a message was refused, addressed by its dotted field path (`labels.env`, `severity`). */
export interface FieldError {
  field: string;
  reason: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Strict by default: unknown properties are errors, so a misspelt field never silently vanishes. */
export const STRICT_VALIDATION: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // One reason per field: a missing field reads "is required", not a list of every rule it breaks.
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

/** Turns class-validator's nested tree into a flat list that names each field and why it failed. */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const reason of Object.values(error.constraints ?? {})) {
      flat.push({ field, reason: stripFieldName(reason, error.property) });
    }
    if (error.children?.length) flat.push(...flattenValidationErrors(error.children, field));
  }
  return flat;
}

/** class-validator prefixes messages with the property name; we report the field separately. */
function stripFieldName(reason: string, property: string): string {
  return reason.startsWith(`${property} `) ? reason.slice(property.length + 1) : reason;
}

export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
}

/**
 * Validates an untrusted plain value against a contract class. Never throws on bad input: the
 * caller decides whether that means a 400, a rejected-stream message or a dead letter.
 */
export function validatePlain<T extends object>(
  cls: new () => T,
  input: unknown,
  options: ValidatorOptions = STRICT_VALIDATION,
): ValidationResult<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const got = input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input;
    return { ok: false, errors: [{ field: '$', reason: `must be a JSON object (got ${got})` }] };
  }
  const instance = plainToInstance(cls, input);
  const errors = validateSync(instance, options);
  return errors.length
    ? { ok: false, errors: flattenValidationErrors(errors) }
    : { ok: true, value: instance };
}
