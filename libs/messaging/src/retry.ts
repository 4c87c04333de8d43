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

/** Counting semaphore: bounds the handler runs in flight per consumer. */
export class Slots {
  private used = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`slot count must be a positive integer, got ${size}`);
  }

  get inUse(): number {
    return this.used;
  }

  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.used--;
  }
}
