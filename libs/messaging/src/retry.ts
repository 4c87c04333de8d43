/**
 * Delay before the next delivery after `deliveryCount` failed deliveries: the n-th entry of the
 * consumer's schedule (last one repeating), with ±20 % jitter so a burst of failures does not come
 * back as a burst.
 */
export function redeliveryDelayMs(
  schedule: readonly number[],
  deliveryCount: number,
  random: () => number = Math.random,
): number {
  if (!schedule.length) return 0;
  const base = schedule[Math.min(Math.max(deliveryCount, 1), schedule.length) - 1];
  return Math.round(base * (0.8 + 0.4 * random()));
}
