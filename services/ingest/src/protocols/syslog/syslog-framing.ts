/**
 * Syslog over TCP (RFC 6587): a frame is either octet-counted (`<len> <msg>`) or a line ended by LF
 * (CRLF and NUL tolerated), and senders may mix the two, so the method is decided again at each
 * frame's first byte — a non-zero digit starts a length, anything else a line. A line that turns out
 * to be digits not followed by a space (`2024-…`) stays a line.
 *
 * Memory is bounded by `maxBytes` plus one chunk whatever the sender does: a frame longer than
 * `maxBytes` is handed on as its first `maxBytes` bytes or fewer (see `utf8Head`), to be archived
 * and refused, and the rest is skipped — to the end of the declared length, or to the next line
 * end — so the stream resumes at the next frame.
 */

export type SyslogFrame =
  /** One complete message. */
  | { kind: 'message'; bytes: Uint8Array }
  /** A message longer than allowed: its head (`utf8Head`); `declaredLength` when octet-counted. */
  | { kind: 'oversize'; bytes: Uint8Array; declaredLength?: number }
  /** An octet-counted message the sender closed the connection in the middle of. */
  | { kind: 'incomplete'; bytes: Uint8Array; declaredLength: number };

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
/** MSG-LEN digits: ten already exceed any INGEST_MAX_EVENT_BYTES, so more mean this is not a length. */
const MAX_LENGTH_DIGITS = 10;

type State =
  | { mode: 'frame-start' }
  | { mode: 'length'; digits: number[] }
  | { mode: 'counted'; declared: number; remaining: number }
  | { mode: 'counted-oversize'; declared: number; remaining: number; emitted: boolean }
  | { mode: 'line' }
  | { mode: 'skip-line' };

const isDigit = (byte: number) => byte >= ZERO && byte <= NINE;

/**
 * The first `limit` bytes, less a UTF-8 character the cut would split: an archived head of a long
 * text message then stays readable text instead of falling back to base64.
 */
export function utf8Head(bytes: Uint8Array, limit: number): Uint8Array {
  if (bytes.length <= limit) return bytes;
  // Back over continuation bytes (10xxxxxx) to the start of the character that straddles the cut.
  let start = limit;
  while (start > 0 && limit - start < 3 && (bytes[start] & 0xc0) === 0x80) start -= 1;
  return bytes.subarray(0, (bytes[start] & 0xc0) === 0x80 ? limit : start);
}

function lineEnd(chunk: Uint8Array, from: number): number {
  for (let i = from; i < chunk.length; i += 1) {
    if (chunk[i] === LF || chunk[i] === NUL) return i;
  }
  return -1;
}

/** The frames of one TCP connection; feed it each chunk in order, then `end()` when the peer closes. */
export class SyslogStreamFramer {
  private state: State = { mode: 'frame-start' };
  private parts: Uint8Array[] = [];
  private partsLength = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Uint8Array): SyslogFrame[] {
    const frames: SyslogFrame[] = [];
    let i = 0;
    while (i < chunk.length) i = this.step(chunk, i, frames);
    return frames;
  }

  /**
   * The peer closed: a last line without its LF is still a message; half an octet-counted one is
   * not, but is handed on so that it is archived rather than silently dropped.
   */
  end(): SyslogFrame[] {
    const state = this.state;
    this.state = { mode: 'frame-start' };
    const collected = this.take();
    switch (state.mode) {
      case 'frame-start':
      case 'skip-line':
        return [];
      case 'counted-oversize':
        if (state.emitted) return [];
        return [{ kind: 'oversize', bytes: this.head(collected), declaredLength: state.declared }];
      case 'length':
        return [{ kind: 'message', bytes: Uint8Array.from(state.digits) }];
      case 'line':
        return this.lineFrame(collected);
      case 'counted':
        return [{ kind: 'incomplete', bytes: collected, declaredLength: state.declared }];
    }
  }

  /** Consumes from `chunk` at `i` according to the state; returns where it stopped. */
  private step(chunk: Uint8Array, i: number, frames: SyslogFrame[]): number {
    const state = this.state;
    switch (state.mode) {
      case 'frame-start':
        this.state =
          isDigit(chunk[i]) && chunk[i] !== ZERO ? { mode: 'length', digits: [] } : { mode: 'line' };
        return i;
      case 'length':
        return this.readLength(state, chunk, i, frames);
      case 'counted': {
        const end = Math.min(chunk.length, i + state.remaining);
        this.collect(chunk.subarray(i, end));
        state.remaining -= end - i;
        if (state.remaining === 0) {
          frames.push({ kind: 'message', bytes: this.take() });
          this.state = { mode: 'frame-start' };
        }
        return end;
      }
      case 'counted-oversize': {
        const end = Math.min(chunk.length, i + state.remaining);
        if (!state.emitted) {
          this.collect(chunk.subarray(i, Math.min(end, i + this.maxBytes + 1 - this.partsLength)));
          if (this.partsLength > this.maxBytes) {
            frames.push({ kind: 'oversize', bytes: this.head(this.take()), declaredLength: state.declared });
            state.emitted = true;
          }
        }
        state.remaining -= end - i;
        if (state.remaining === 0) this.state = { mode: 'frame-start' };
        return end;
      }
      case 'line':
        return this.readLine(chunk, i, frames);
      case 'skip-line': {
        const end = lineEnd(chunk, i);
        if (end === -1) return chunk.length;
        this.state = { mode: 'frame-start' };
        return end + 1;
      }
    }
  }

  private readLength(
    state: { mode: 'length'; digits: number[] },
    chunk: Uint8Array,
    i: number,
    frames: SyslogFrame[],
  ): number {
    let at = i;
    while (at < chunk.length && isDigit(chunk[at]) && state.digits.length < MAX_LENGTH_DIGITS) {
      state.digits.push(chunk[at]);
      at += 1;
    }
    if (at === chunk.length) return at; // the length may go on in the next chunk
    if (chunk[at] === SP) {
      const declared = Number(String.fromCharCode(...state.digits));
      this.state =
        declared <= this.maxBytes
          ? { mode: 'counted', declared, remaining: declared }
          : { mode: 'counted-oversize', declared, remaining: declared, emitted: false };
      return at + 1;
    }
    // Not a length after all: the digits begin a line (which the parser will likely refuse).
    this.state = { mode: 'line' };
    this.collect(Uint8Array.from(state.digits));
    frames.push(...this.checkLineOverflow());
    return at;
  }

  private readLine(chunk: Uint8Array, i: number, frames: SyslogFrame[]): number {
    const end = lineEnd(chunk, i);
    if (end === -1) {
      this.collect(chunk.subarray(i));
      frames.push(...this.checkLineOverflow());
      return chunk.length;
    }
    this.collect(chunk.subarray(i, end));
    this.state = { mode: 'frame-start' };
    frames.push(...this.lineFrame(this.take()));
    return end + 1;
  }

  /** A line with no end yet that is already too long is refused now and skipped to its end. */
  private checkLineOverflow(): SyslogFrame[] {
    // One byte more than allowed may be the CR of a CRLF still to come.
    if (this.partsLength <= this.maxBytes + 1) return [];
    this.state = { mode: 'skip-line' };
    return [{ kind: 'oversize', bytes: this.head(this.take()) }];
  }

  private lineFrame(line: Uint8Array): SyslogFrame[] {
    const bytes = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
    if (bytes.length > this.maxBytes) return [{ kind: 'oversize', bytes: this.head(bytes) }];
    // Blank lines are keep-alives or the extra newline some senders add after octet-counted frames.
    if (bytes.every((byte) => byte === SP || byte === 0x09)) return [];
    return [{ kind: 'message', bytes }];
  }

  private head(bytes: Uint8Array): Uint8Array {
    return utf8Head(bytes, this.maxBytes);
  }

  private collect(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.partsLength += bytes.length;
  }

  /** The collected bytes as one fresh copy, so a frame never shares memory with a socket chunk. */
  private take(): Uint8Array {
    const joined = Buffer.concat(this.parts, this.partsLength);
    this.parts = [];
    this.partsLength = 0;
    return joined;
  }
}
