/**
 * ITU-T X.733 perceived severity, the one scale every event carries after ingest.
 * Producers may send aliases (syslog, PagerDuty, Prometheus conventions) or Panther's numeric 0–5;
 * everything is mapped here so that no service downstream ever sees anything but these six names.
 */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'indeterminate', 'cleared'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; `cleared` is 0 so "worst of" comparisons need no special case. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  cleared: 0,
  indeterminate: 1,
  warning: 2,
  minor: 3,
  major: 4,
  critical: 5,
};

/**
 * Aliases accepted at ingest (case-insensitive). The choices follow what producers actually send:
 * syslog keywords (RFC 5424 §6.2.1), PagerDuty Events v2 (`error`, `info`), Prometheus/Alertmanager
 * label conventions (`page`, `ok`, `resolved`) and Alerta's names (`normal`, `informational`).
 * `info`-like values map to `indeterminate`, the lowest non-clearing X.733 level, because X.733 has no
 * "informational" and treating them as `cleared` would resolve alerts.
 */
export const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  alert: 'critical',
  page: 'critical',
  major: 'major',
  error: 'major',
  err: 'major',
  high: 'major',
  minor: 'minor',
  medium: 'minor',
  warning: 'warning',
  warn: 'warning',
  low: 'warning',
  indeterminate: 'indeterminate',
  unknown: 'indeterminate',
  info: 'indeterminate',
  informational: 'indeterminate',
  notice: 'indeterminate',
  debug: 'indeterminate',
  cleared: 'cleared',
  clear: 'cleared',
  ok: 'cleared',
  normal: 'cleared',
  resolved: 'cleared',
  recovered: 'cleared',
};

/** Panther's numeric scale (0 Clear … 5 Critical). */
export const NUMERIC_SEVERITIES: readonly Severity[] = [
  'cleared',
  'indeterminate',
  'warning',
  'minor',
  'major',
  'critical',
];

/** What an error message lists as allowed: the canonical names, then the numeric range. */
export const SEVERITY_ALLOWED_DESCRIPTION = `${SEVERITIES.join(', ')} (or an alias such as error, info, ok; or 0–5)`;

/**
 * Maps any accepted spelling to its X.733 name, or `undefined` when the value is not a severity.
 * Numbers (and numeric strings) follow Panther's 0–5 scale; a negative number is Panther's "discard"
 * and is deliberately not accepted here, since discarding is a classifier rule's decision.
 */
export function normalizeSeverity(input: unknown): Severity | undefined {
  if (typeof input === 'number') {
    return Number.isInteger(input) ? NUMERIC_SEVERITIES[input] : undefined;
  }
  if (typeof input !== 'string') return undefined;
  const key = input.trim().toLowerCase();
  if (/^[0-5]$/.test(key)) return NUMERIC_SEVERITIES[Number(key)];
  return Object.prototype.hasOwnProperty.call(SEVERITY_ALIASES, key) ? SEVERITY_ALIASES[key] : undefined;
}

/**
 * A regular expression (ECMA syntax, no flags) matching every string `normalizeSeverity` accepts,
 * so the exported JSON Schema agrees with the code without relying on a case-insensitive flag that
 * JSON Schema does not have.
 */
export function severityStringPattern(): string {
  const caseless = (word: string) =>
    [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
  const words = Object.keys(SEVERITY_ALIASES).map(caseless);
  return `^\\s*(?:[0-5]|${words.join('|')})\\s*$`;
}
