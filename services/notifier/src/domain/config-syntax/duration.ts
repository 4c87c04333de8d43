import { FieldError, show } from '@vigil/matching';

const UNIT_MS = {
  y: 365 * 24 * 60 * 60_000,
  w: 7 * 24 * 60 * 60_000,
  d: 24 * 60 * 60_000,
  h: 60 * 60_000,
  m: 60_000,
  s: 1000,
  ms: 1,
} as const;

/**
 * Prometheus' own grammar (model.ParseDuration): units largest first, each at most once, whole
 * numbers only, so "1h30m" is accepted and "30m1h" and "1.5h" are not, as Alertmanager would refuse them.
 */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** A Prometheus/Alertmanager duration ("30s", "5m", "1h30m", "2d", "1w", "500ms", "0s", "0") in milliseconds. */
export function parseDuration(text: unknown, field: string): number | FieldError {
  if (typeof text === 'number')
    return { field, reason: `${show(text)} has no unit: use a string like "30s", "5m" or "1h30m"` };
  if (typeof text !== 'string')
    return { field, reason: `${show(text)} is not a duration: use a string like "30s", "5m" or "1h30m"` };
  const trimmed = text.trim();
  if (trimmed === '') return { field, reason: 'is empty: use a duration like "30s", "5m" or "1h30m"' };
  if (trimmed.startsWith('-')) return { field, reason: `${show(text)} is negative` };
  if (trimmed === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(trimmed))
    return { field, reason: `${show(text)} has no unit: use a string like "30s", "5m" or "1h30m"` };
  const parts = DURATION.exec(trimmed);
  if (!parts || parts.slice(1).every((part) => part === undefined)) {
    return {
      field,
      reason:
        `${show(text)} is not a duration: whole numbers with units ms, s, m, h, d, w or y, ` +
        'largest first ("1h30m", "90s")',
    };
  }
  let total = 0;
  UNITS.forEach((unit, index) => {
    const count = parts[index + 1];
    if (count !== undefined) total += Number(count) * UNIT_MS[unit];
  });
  if (!Number.isSafeInteger(total)) return { field, reason: `${show(text)} is too long` };
  return total;
}

/** The shortest Prometheus spelling of a duration: 5_400_000 → "1h30m", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  // Years are left out: "1y" and "365d" are the same here, and days read better in a page.
  for (const unit of UNITS.slice(1)) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/** parseDuration with bounds, collecting the fault instead of returning it; undefined when faulty. */
export function readDuration(
  value: unknown,
  field: string,
  errors: FieldError[],
  bounds: { min: number; max: number },
): number | undefined {
  const parsed = parseDuration(value, field);
  if (typeof parsed !== 'number') {
    errors.push(parsed);
    return undefined;
  }
  if (parsed < bounds.min || parsed > bounds.max) {
    const range =
      bounds.min === 0
        ? `at most ${formatDuration(bounds.max)}`
        : `from ${formatDuration(bounds.min)} to ${formatDuration(bounds.max)}`;
    errors.push({ field, reason: `${show(value)} is out of range: must be ${range}` });
    return undefined;
  }
  return parsed;
}
