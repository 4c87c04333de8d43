/**
 * Runs a reload one at a time: a request while one runs is coalesced into a single next run (which
 * will see everything the requests wanted), and every caller's promise settles when a run that
 * started after its request has finished.
 */
export class SerialReload {
  private queued?: Promise<void>;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly work: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.tail.then(() => {
      this.queued = undefined;
      return this.work();
    });
    this.queued = next;
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Settles when the runs requested so far have finished (failed ones included). */
  settled(): Promise<void> {
    return this.tail;
  }
}
