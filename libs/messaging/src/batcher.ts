/**
 * Collects items into batches of at most `size`. A full batch is handed over at once; a partial
 * one `waitMs` after its first item, so a quiet stream pays at most `waitMs` of latency while a
 * busy one gets full batches.
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly size: number,
    private readonly waitMs: number,
    private readonly flush: (batch: T[]) => void,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`batch size must be a positive integer, got ${size}`);
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.size) this.drain();
    else this.timer ??= setTimeout(() => this.drain(), this.waitMs);
  }

  /** Hands over whatever is collected now. */
  drain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.items.length) return;
    const batch = this.items;
    this.items = [];
    this.flush(batch);
  }
}
