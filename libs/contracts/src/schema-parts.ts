import { LABEL_KEY_PATTERN, LIMITS, UUID_PATTERN } from './limits';

/*
 * Pieces of the JSON Schemas, built from the same constants as the classes' decorators so that a
 * schema and its class accept the same documents (tests check each pair).
 */

type Typed = { type: string };

/** Optional fields may also be null, which means the same as absent. */
export const optional = <T extends Typed>(schema: T) => ({ ...schema, type: [schema.type, 'null'] });

export const nonEmptyString = (maxLength?: number, description?: string) => ({
  type: 'string',
  minLength: 1,
  ...(maxLength === undefined ? {} : { maxLength }),
  ...(description === undefined ? {} : { description }),
});

export const TIMESTAMP_SCHEMA = { type: 'string', format: 'date-time' } as const;

export const UUID_SCHEMA = { type: 'string', pattern: UUID_PATTERN.source } as const;

export const LABELS_SCHEMA = {
  type: 'object',
  maxProperties: LIMITS.labelCount,
  propertyNames: { pattern: LABEL_KEY_PATTERN.source, maxLength: LIMITS.labelKeyLength },
  additionalProperties: { type: 'string', maxLength: LIMITS.labelValueLength },
} as const;

/** An enum that also admits null, for optional fields. */
export const optionalEnum = (values: readonly string[]) => ({ enum: [...values, null] });
