/**
 * Strict check of an RRULE value before it reaches the `rrule` package, whose parser accepts
 * `BYHOUR=25`, `INTERVAL=abc` or a rule without FREQ and fails later or never.
 * Returns the reasons the rule is refused; empty when it is acceptable.
 */
const DAY = '(?:MO|TU|WE|TH|FR|SA|SU)';

function integers(min: number, max: number, signed: boolean): (value: string) => string | undefined {
  const item = signed ? /^[+-]?\d{1,3}$/ : /^\d{1,3}$/;
  return (value) => {
    for (const part of value.split(',')) {
      const n = Number(part);
      if (!item.test(part) || Math.abs(n) < min || Math.abs(n) > max) {
        return `"${part}" is not ${signed ? '±' : ''}${min}–${max}`;
      }
    }
    return undefined;
  };
}

function positive(value: string): string | undefined {
  return /^[1-9]\d{0,5}$/.test(value) ? undefined : `"${value}" is not a positive integer`;
}

const PARTS: Readonly<Record<string, (value: string) => string | undefined>> = {
  // Sub-daily frequencies are left to cron: rrule expands from DTSTART on every query, which would
  // be millions of steps for a MINUTELY rule anchored years ago.
  FREQ: (value) =>
    /^(DAILY|WEEKLY|MONTHLY|YEARLY)$/.test(value)
      ? undefined
      : `"${value}" is not DAILY, WEEKLY, MONTHLY or YEARLY (use cron for shorter periods)`,
  INTERVAL: positive,
  COUNT: positive,
  BYSECOND: integers(0, 59, false),
  BYMINUTE: integers(0, 59, false),
  BYHOUR: integers(0, 23, false),
  BYDAY: (value) =>
    value.split(',').every((part) => new RegExp(`^([+-]?[1-9]\\d?)?${DAY}$`).test(part))
      ? undefined
      : `"${value}" is not a list of days such as MO,TU or 1MO,-1FR`,
  BYMONTHDAY: integers(1, 31, true),
  BYYEARDAY: integers(1, 366, true),
  BYWEEKNO: integers(1, 53, true),
  BYMONTH: integers(1, 12, false),
  BYSETPOS: integers(1, 366, true),
  WKST: (value) => (new RegExp(`^${DAY}$`).test(value) ? undefined : `"${value}" is not a day (MO…SU)`),
};

/** Parts that this module sets itself from the window's other fields. */
const OWN_FIELD: Readonly<Record<string, string>> = {
  UNTIL: 'give the end as `until` (an RFC 3339 instant)',
  DTSTART: 'give the start as `from`; the zone is `timezone`',
  TZID: 'give the zone as `timezone`',
};

export function rruleProblems(text: string, hasFrom: boolean): string[] {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body === '') return ['is empty'];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const part of body.split(';')) {
    const [key, value, ...rest] = part.split('=');
    const name = key.trim().toUpperCase();
    if (value === undefined || rest.length > 0 || value === '') {
      problems.push(`"${part}" is not NAME=VALUE`);
      continue;
    }
    if (seen.has(name)) problems.push(`${name} is given twice`);
    seen.set(name, value.toUpperCase());
    const own = OWN_FIELD[name];
    if (own !== undefined) {
      problems.push(`${name} is not allowed here: ${own}`);
      continue;
    }
    const check = Object.hasOwn(PARTS, name) ? PARTS[name] : undefined;
    if (check === undefined) {
      problems.push(`${name} is not an RRULE part`);
      continue;
    }
    const problem = check(value.toUpperCase());
    if (problem !== undefined) problems.push(`${name}: ${problem}`);
  }
  if (!seen.has('FREQ')) problems.push('FREQ is required');
  // Without `from` the rule is anchored at an arbitrary date, which COUNT and INTERVAL would count from.
  if (!hasFrom && seen.has('COUNT')) problems.push('COUNT needs `from`, the date it counts from');
  if (!hasFrom && (seen.get('INTERVAL') ?? '1') !== '1')
    problems.push('INTERVAL above 1 needs `from`, the date it counts from');
  if (!hasFrom && seen.get('FREQ') === 'WEEKLY' && !seen.has('BYDAY'))
    problems.push('WEEKLY needs BYDAY, or `from` to take the weekday from');
  return problems;
}
