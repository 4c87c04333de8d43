import { fullFormats } from 'ajv-formats/dist/formats';

const dateTime = fullFormats['date-time'] as
  { validate: (value: string) => boolean } | ((value: string) => boolean);
const validateDateTime = typeof dateTime === 'function' ? dateTime : dateTime.validate;

/**
 * RFC 3339 `date-time` with a time zone, exactly as JSON Schema's `format: date-time` checks it
 * (ajv-formats' implementation), so the class and the exported schema cannot disagree.
 */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && validateDateTime(value);
}

/**
 * The instant an RFC 3339 timestamp names. A leap second (`23:59:60`), valid in RFC 3339 but not
 * in JavaScript, is read as the last millisecond before the next minute.
 */
export function parseTimestamp(value: string): Date {
  const parsed = Date.parse(value);
  if (!Number.isNaN(parsed)) return new Date(parsed);
  const withoutLeapSecond = value.replace(/(\d\d:\d\d):60/, '$1:59');
  const fallback = Date.parse(withoutLeapSecond);
  if (Number.isNaN(fallback)) throw new RangeError(`not a timestamp: ${value}`);
  return new Date(fallback + 999);
}
