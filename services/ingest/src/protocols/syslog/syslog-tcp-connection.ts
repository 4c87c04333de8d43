import type { Duplex } from 'node:stream';
import type { SyslogFrame, SyslogStreamFramer } from './syslog-framing';

/** Handles one frame; `sequence` counts the connection's frames from 0. Must not reject. */
export type FrameHandler = (frame: SyslogFrame, sequence: number) => Promise<void>;

/**
 * One TCP syslog connection: frames are handed to the handler in the order they arrived, several
 * at a time, and reading pauses while `maxInFlight` are unfinished — TCP's flow control then slows
 * the sender instead of this process buffering without bound. It resumes once half of them are
 * done, so that it does not flap around the limit. A chunk is framed whole, so the count may pass
 * the limit by one chunk's worth of frames.
 */
export class SyslogTcpConnection {
  private inFlight = 0;
  private sequence = 0;
  private paused = false;
  private stopped = false;

  constructor(
    private readonly socket: Duplex,
    private readonly framer: SyslogStreamFramer,
    private readonly handle: FrameHandler,
    private readonly maxInFlight: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.dispatch(this.framer.push(chunk)));
    socket.on('end', () => this.dispatch(this.framer.end()));
  }

  /** Frames handed to the handler and not finished yet. */
  get pending(): number {
    return this.inFlight;
  }

  get readingPaused(): boolean {
    return this.paused || this.stopped;
  }

  /** Stops reading for good (shutdown); frames already handed on still finish. */
  stop(): void {
    this.stopped = true;
    this.socket.pause();
  }

  private dispatch(frames: SyslogFrame[]): void {
    for (const frame of frames) {
      this.inFlight += 1;
      void this.handle(frame, this.sequence++).finally(() => this.settle());
    }
    if (this.inFlight >= this.maxInFlight && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private settle(): void {
    this.inFlight -= 1;
    if (this.paused && this.inFlight <= Math.floor(this.maxInFlight / 2)) {
      this.paused = false;
      if (!this.stopped) this.socket.resume();
    }
  }
}
