import { LABEL_KEY_PATTERN, LIMITS, type Labels } from '@vigil/contracts';

export interface SanitisedLabels {
  labels: Labels;
  /**
   * Entries that could not become labels, under their original keys: values that are not scalars or
   * are too long, keys that collide once sanitised, and anything past the label limit. Callers keep
   * them in the event's attributes so nothing the producer sent is lost.
   */
  dropped: Record<string, unknown>;
}

const INVALID_KEY_CHARACTERS = /[^A-Za-z0-9_./-]/g;

/**
 * A label key Vigil accepts, as close to `key` as possible: disallowed characters become `_`, a
 * leading digit, dot or dash gets a `_` in front (as Prometheus does for metric names), and the
 * result is cut to the key length limit.
 */
export function sanitiseLabelKey(key: string): string {
  if (key.length <= LIMITS.labelKeyLength && LABEL_KEY_PATTERN.test(key)) return key;
  const replaced = key.replace(INVALID_KEY_CHARACTERS, '_');
  const leading = /^[A-Za-z_]/.test(replaced) ? replaced : `_${replaced}`;
  return leading.slice(0, LIMITS.labelKeyLength);
}

function labelValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/**
 * Turns a foreign key/value map (Prometheus labels, Panther's extra fields, CloudEvents extensions,
 * syslog structured data) into labels that pass validation, rather than refusing the whole event
 * over one odd key. Keys that are already valid are placed first, so a sanitised key never
 * displaces a producer's own key of the same spelling.
 */
export function sanitiseLabels(record: Record<string, unknown>): SanitisedLabels {
  const labels: Labels = {};
  const dropped: Record<string, unknown> = {};
  let count = 0;
  const entries = Object.entries(record);
  const valid = entries.filter(([key]) => sanitiseLabelKey(key) === key);
  const renamed = entries.filter(([key]) => sanitiseLabelKey(key) !== key);
  for (const [key, value] of [...valid, ...renamed]) {
    const text = labelValue(value);
    const target = sanitiseLabelKey(key);
    const fits =
      text !== undefined &&
      text.length <= LIMITS.labelValueLength &&
      !Object.prototype.hasOwnProperty.call(labels, target) &&
      count < LIMITS.labelCount;
    if (fits) {
      labels[target] = text;
      count++;
    } else {
      dropped[key] = value;
    }
  }
  return { labels, dropped };
}
