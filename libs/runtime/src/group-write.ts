/**
 * Gathers single writes that arrive while one is in flight and writes them together (group
 * commit): the first `add` writes at once; those that come while that write runs wait for it and
 * then go out as one batch. A batch's failure rejects every `add` in it and spares the next batch.
 * One write in flight at a time, so a burst of N costs about two statements, not N.
 */
export class GroupWrite<T> {
  private waiting: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.write(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.running = false;
  }
}
