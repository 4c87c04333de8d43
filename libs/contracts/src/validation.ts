import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError, ValidatorOptions } from 'class-validator';

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

const ajv = new Ajv2020({ strict: true, allErrors: false });
addFormats(ajv);

const schemas = new Map<abstract new () => object, object>();
const compiled = new Map<abstract new () => object, ValidateFunction>();

/**
 * Declares the JSON Schema that accepts exactly what a contract class accepts. `validatePlain`
 * then checks documents with the compiled schema (about a microsecond) and runs class-validator
 * (tens of microseconds) only to explain a refusal. Each pair is kept in agreement by tests.
 */
export function registerSchema(cls: abstract new () => object, schema: object): void {
  const previous = schemas.get(cls);
  if (previous && compiled.has(cls)) ajv.removeSchema(previous);
  schemas.set(cls, schema);
  compiled.delete(cls);
}

function fastCheck(cls: abstract new () => object): ValidateFunction | undefined {
  let check = compiled.get(cls);
  if (!check) {
    const schema = schemas.get(cls);
    if (!schema) return undefined;
    check = ajv.compile(schema);
    compiled.set(cls, check);
  }
  return check;
}

/**
 * Validates an untrusted plain value against a contract class. Never throws on bad input: the
 * caller decides whether that means a 400, a rejected-stream message or a dead letter. A value
 * that passes is returned as it is (a plain object of the class's shape).
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
  if (options === STRICT_VALIDATION && fastCheck(cls)?.(input)) return { ok: true, value: input as T };
  const instance = plainToInstance(cls, input);
  const errors = validateSync(instance, options);
  return errors.length
    ? { ok: false, errors: flattenValidationErrors(errors) }
    : { ok: true, value: instance };
}

/** class-validator alone, for the tests that prove each schema agrees with its class. */
export function validateWithClass<T extends object>(cls: new () => T, input: unknown): boolean {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  return validateSync(plainToInstance(cls, input), STRICT_VALIDATION).length === 0;
}

/** The compiled schema alone, for the same tests. */
export function validateWithSchema(cls: abstract new () => object, input: unknown): boolean {
  const check = fastCheck(cls);
  if (!check) throw new Error(`no schema registered for ${cls.name}`);
  return check(input) === true;
}
