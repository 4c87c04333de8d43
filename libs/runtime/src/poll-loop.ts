/**
 * A background loop for work kept in the database (timers, deadlines, outbox rows): it runs a
 * pass, runs again at once while passes come back full or someone `kick`s it, and otherwise waits
 * `intervalMs`. A failed pass is reported and retried after the interval; `stop` waits for the
 * pass in progress.
 */
export class PollLoop {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;

  constructor(
    /** One pass; true when it found a full batch, so more work is likely waiting. */
    private readonly pass: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** There is new work: skip the rest of the wait (or the next one, if a pass is running). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.kicked = false;
      let full = false;
      try {
        full = await this.pass();
      } catch (error) {
        this.onError(error);
      }
      if (!full && this.running && !this.kicked) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.intervalMs);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
  }
}
