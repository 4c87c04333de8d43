/**
 * Collects items into batches of at most `size` and runs at most `concurrency` of them at once.
 * A batch starts when a run is free and either it is full or its first item has waited `waitMs`;
 * while every run is busy, items keep collecting, so the batch that starts next is as large as
 * the backlog (up to `size`). A quiet stream therefore pays at most `waitMs` per hop, and a busy
 * one gets large batches instead of a queue of small ones, each paying a whole transaction.
 * `run` must not reject: it handles its batch's failures itself (the transport retries each one).
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private running = 0;

  constructor(
    private readonly size: number,
    private readonly waitMs: number,
    private readonly concurrency: number,
    private readonly run: (batch: T[]) => Promise<void>,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`batch size must be a positive integer, got ${size}`);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Batches running now. */
  get active(): number {
    return this.running;
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.size) this.due = true;
    else this.timer ??= setTimeout(() => this.expire(), this.waitMs);
    this.start();
  }

  /** Removes and returns the items not yet in a batch (to hand them back on shutdown). */
  take(): T[] {
    this.reset();
    const items = this.items;
    this.items = [];
    return items;
  }

  private expire(): void {
    this.timer = undefined;
    this.due = true;
    this.start();
  }

  private start(): void {
    while (this.due && this.items.length && this.running < this.concurrency) {
      const batch = this.items.splice(0, this.size);
      // What is left has waited for a run already: it goes as soon as one is free.
      if (!this.items.length) this.reset();
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        if (this.items.length) this.due = true;
        this.start();
      });
    }
  }

  private reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
  }
}
