import { Zone } from 'luxon';

const DAY_MS = 86_400_000;

/**
 * Wall-clock times are carried as "floating" milliseconds: the number `Date.UTC` gives for the
 * local date and time, with no zone attached. Recurrence rules are expanded in that floating time
 * (where every day has 24 hours) and each occurrence is converted to an instant afterwards.
 */
export function wallOf(instantMs: number, zone: Zone): number {
  return instantMs + zone.offset(instantMs) * 60_000;
}

/**
 * RFC 5545 §3.3.5: a local time that does not exist (spring forward) is read with the offset in
 * force *before* the gap, which moves it forward by the gap (02:30 → 03:30 in Europe/Berlin); a
 * local time that exists twice (fall back) is the first of the two instants.
 * The two candidate offsets are sampled a day either side, so this assumes a zone changes offset at
 * most once within two days (true of every IANA zone in practice).
 */
export function instantOf(wallMs: number, zone: Zone): number {
  const before = zone.offset(wallMs - DAY_MS);
  const after = zone.offset(wallMs + DAY_MS);
  const valid = [...new Set([before, after])]
    .map((offset) => ({ offset, instant: wallMs - offset * 60_000 }))
    .filter(({ offset, instant }) => zone.offset(instant) === offset)
    .map(({ instant }) => instant);
  return valid.length > 0 ? Math.min(...valid) : wallMs - before * 60_000;
}
