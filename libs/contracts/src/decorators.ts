import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { CATEGORIES, isCategory } from './category';
import { normalizeSeverity, SEVERITY_ALLOWED_DESCRIPTION } from './severity';
import { LIMITS, LABEL_KEY_PATTERN } from './limits';
import { isTimestamp } from './timestamp';

/** A refused value as it appeared in the JSON, cut short so a huge value cannot flood an error. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Accepts any spelling `normalizeSeverity` understands; the message lists what is allowed. */
export function IsSeverityInput(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSeverityInput',
      validator: {
        validate: (value: unknown) => normalizeSeverity(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'severity'} must be one of ${SEVERITY_ALLOWED_DESCRIPTION} (got ${shown(args?.value)})`,
      },
    },
    options,
  );
}

export function IsCategory(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCategory',
      validator: {
        validate: (value: unknown) => isCategory(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'category'} must be one of ${CATEGORIES.join(', ')} (got ${shown(args?.value)})`,
      },
    },
    options,
  );
}

/** What is wrong with a label map, or `undefined` when it is fine. Shared by the decorator and tests. */
export function labelMapProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be an object of string values';
  }
  const entries = Object.entries(value);
  if (entries.length > LIMITS.labelCount) {
    return `must have at most ${LIMITS.labelCount} labels (got ${entries.length})`;
  }
  for (const [key, labelValue] of entries) {
    if (!LABEL_KEY_PATTERN.test(key) || key.length > LIMITS.labelKeyLength) {
      return `key "${key}" must match ${LABEL_KEY_PATTERN.source} and be at most ${LIMITS.labelKeyLength} characters`;
    }
    if (typeof labelValue !== 'string') return `value of "${key}" must be a string`;
    if (labelValue.length > LIMITS.labelValueLength) {
      return `value of "${key}" must be at most ${LIMITS.labelValueLength} characters`;
    }
  }
  return undefined;
}

export function IsLabelMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLabelMap',
      validator: {
        validate: (value: unknown) => labelMapProblem(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'labels'} ${labelMapProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

/** A JSON object (not an array, not null) — for free-form details. */
export function IsPlainObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPlainObject',
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a JSON object`, options),
      },
    },
    options,
  );
}

export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value: unknown) => isTimestamp(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an RFC 3339 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z`,
          options,
        ),
      },
    },
    options,
  );
}
