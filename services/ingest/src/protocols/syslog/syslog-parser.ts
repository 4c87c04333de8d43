/**
 * RFC 5424 and RFC 3164 (BSD) syslog parsing, written here rather than taken from npm: the
 * candidates evaluated (nsyslog-parser 0.10, glossy 0.1.7, syslog-parse 2.0) each got real messages
 * wrong — nsyslog-parser drops structured data whose values contain escaped `\"`, glossy swallows a
 * MSG ending in `]` into the structured data and mangles an SD-ELEMENT without parameters,
 * syslog-parse knows only RFC 3164 and is ESM-only (Jest here runs CommonJS) — and all three read
 * BSD timestamps in the receiving process's local time zone. Both grammars are small enough that a
 * pure, tested parser is less risk than working around any of them.
 *
 * Structure is checked strictly (a message whose header or structured data cannot be delimited is
 * refused, since guessing would put the wrong text in the wrong field); field lengths are left to
 * the producer-event contract, which reports them by field name.
 */

export type SyslogFormat = 'rfc5424' | 'rfc3164';

export interface SdParam {
  name: string;
  value: string;
}

/** One `[id name="value" …]` element of RFC 5424 STRUCTURED-DATA; parameters in their order. */
export interface SdElement {
  id: string;
  params: SdParam[];
}

export interface SyslogMessage {
  format: SyslogFormat;
  /** 0–23, from PRI. */
  facility: number;
  /** 0 (Emergency) – 7 (Debug), from PRI. */
  severity: number;
  /** The instant the sender stamped, absent when it sent none (RFC 5424 `-`, RFC 3164 without one). */
  timestamp?: Date;
  /**
   * An RFC 3164 timestamp as written, when its year and zone had to be guessed (`Oct 11 22:14:15`):
   * kept so that a reader who knows the sender's zone can reinterpret it.
   */
  timestampText?: string;
  hostname?: string;
  /** RFC 5424 APP-NAME, or the RFC 3164 TAG without its `[pid]`. */
  appName?: string;
  procId?: string;
  msgId?: string;
  structuredData: SdElement[];
  /** MSG without a leading BOM; may be empty. */
  message: string;
}

export type SyslogParseResult = { ok: true; message: SyslogMessage } | { ok: false; reason: string };

const MAX_PRIVAL = 191;
const NILVALUE = '-';
const BOM = '\uFEFF';
/** A day: how far ahead of the receiver an RFC 3164 timestamp may be before it is taken as last year's. */
const BSD_FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

const PRI_PATTERN = /^<(\d{1,3})>/;
const RFC5424_VERSION_PATTERN = /^([1-9]\d{0,2}) /;
const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
/** `Oct 11 22:14:15`, `Oct  1 …` (space-padded day, also unpadded), an optional year (`Oct 11 2003 …`), and fractions. */
const BSD_TIMESTAMP_PATTERN =
  /^([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?= |$)/;
const RFC3339_PREFIX_PATTERN = /^(\d{4}-\d{2}-\d{2}[Tt]\S+)(?= |$)/;
/**
 * The RFC 3164 TAG as senders actually write it: a program name (letters first, so a Cisco sequence
 * number `123:` is not taken for one), an optional `[pid]`, then a colon.
 */
const TAG_PATTERN = /^([A-Za-z_][\w./@()+-]{0,47})(?:\[([^\]\s]{1,128})\])?:(?: |$)/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

class SyslogSyntaxError extends Error {}

/**
 * Parses one syslog message (one datagram or one TCP frame, already decoded as UTF-8). RFC 5424 is
 * recognised by the VERSION after PRI; anything else with a valid PRI is read as RFC 3164. `now`
 * supplies the year RFC 3164 timestamps lack.
 */
export function parseSyslog(text: string, now: Date): SyslogParseResult {
  // Senders often end a datagram or an octet-counted frame with the newline of line framing too.
  const line = text.replace(/[\r\n\0]+$/, '');
  const pri = PRI_PATTERN.exec(line);
  if (!pri) {
    return {
      ok: false,
      reason: `is not a syslog message: it must start with a PRI such as "<34>" (starts with ${JSON.stringify(line.slice(0, 16))})`,
    };
  }
  const prival = Number(pri[1]);
  if (prival > MAX_PRIVAL) {
    return { ok: false, reason: `has PRI <${prival}>, out of range: it must be 0–${MAX_PRIVAL}` };
  }
  const priority = { facility: prival >> 3, severity: prival & 7 };
  const rest = line.slice(pri[0].length);
  try {
    const version = RFC5424_VERSION_PATTERN.exec(rest);
    if (version) return { ok: true, message: { ...priority, ...parse5424(rest.slice(version[0].length)) } };
    if (rest.trim() === '') return { ok: false, reason: 'has nothing after its PRI' };
    return { ok: true, message: { ...priority, ...parse3164(rest, now) } };
  } catch (error) {
    if (error instanceof SyslogSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

type Parsed = Omit<SyslogMessage, 'facility' | 'severity'>;

/** A cursor over the text after `<PRI>VERSION SP`. */
class Cursor {
  position = 0;

  constructor(readonly text: string) {}

  get atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  /** The next SP-terminated header field; the SP is consumed. */
  field(name: string): string {
    const end = this.text.indexOf(' ', this.position);
    if (end === -1) {
      throw new SyslogSyntaxError(
        `is RFC 5424 but its header stops at ${name}: TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID and STRUCTURED-DATA must all follow the version ("-" when empty)`,
      );
    }
    const value = this.text.slice(this.position, end);
    if (value === '') {
      throw new SyslogSyntaxError(`is RFC 5424 but its ${name} is empty (two spaces in a row)`);
    }
    this.position = end + 1;
    return value;
  }

  rest(): string {
    return this.text.slice(this.position);
  }
}

function optional(value: string): string | undefined {
  return value === NILVALUE ? undefined : value;
}

function parse5424(text: string): Parsed {
  const cursor = new Cursor(text);
  const timestampField = cursor.field('TIMESTAMP');
  const timestamp = timestampField === NILVALUE ? undefined : parseRfc3339(timestampField);
  if (timestamp === null) {
    throw new SyslogSyntaxError(
      `is RFC 5424 but its TIMESTAMP ${JSON.stringify(timestampField)} is not an RFC 3339 date-time with a zone`,
    );
  }
  const hostname = optional(cursor.field('HOSTNAME'));
  const appName = optional(cursor.field('APP-NAME'));
  const procId = optional(cursor.field('PROCID'));
  // MSGID may be the last thing on the line only if STRUCTURED-DATA is missing, which it may not be.
  const msgId = optional(cursor.field('MSGID'));
  const structuredData = parseStructuredData(cursor);
  let message = '';
  if (!cursor.atEnd) {
    if (cursor.peek() !== ' ') {
      throw new SyslogSyntaxError(
        `is RFC 5424 but has ${JSON.stringify(cursor.rest().slice(0, 16))} right after its STRUCTURED-DATA, where a space belongs`,
      );
    }
    message = withoutBom(cursor.rest().slice(1));
  }
  return { format: 'rfc5424', timestamp, hostname, appName, procId, msgId, structuredData, message };
}

function parseStructuredData(cursor: Cursor): SdElement[] {
  if (cursor.peek() === NILVALUE) {
    cursor.position += 1;
    return [];
  }
  if (cursor.peek() !== '[') {
    throw new SyslogSyntaxError(
      `is RFC 5424 but its STRUCTURED-DATA is neither "-" nor "[…]" (found ${JSON.stringify(cursor.rest().slice(0, 16))})`,
    );
  }
  const elements: SdElement[] = [];
  while (cursor.peek() === '[') elements.push(parseSdElement(cursor));
  return elements;
}

/** SD-NAME: up to the first SP, `=`, `]` or `"`. */
function sdName(cursor: Cursor, what: string): string {
  const start = cursor.position;
  while (!cursor.atEnd && !' =]"'.includes(cursor.peek())) cursor.position += 1;
  const name = cursor.text.slice(start, cursor.position);
  if (name === '') {
    throw new SyslogSyntaxError(`is RFC 5424 but has an empty ${what} in its STRUCTURED-DATA at ${start}`);
  }
  return name;
}

function parseSdElement(cursor: Cursor): SdElement {
  cursor.position += 1; // [
  const id = sdName(cursor, 'SD-ID');
  const params: SdParam[] = [];
  for (;;) {
    const c = cursor.peek();
    if (c === ']') {
      cursor.position += 1;
      return { id, params };
    }
    if (c !== ' ') {
      const found = cursor.atEnd ? 'the end of the message' : JSON.stringify(c);
      throw new SyslogSyntaxError(
        `is RFC 5424 but its STRUCTURED-DATA element [${id} is not closed (found ${found} where " " or "]" belongs)`,
      );
    }
    cursor.position += 1;
    const name = sdName(cursor, 'PARAM-NAME');
    if (cursor.text.slice(cursor.position, cursor.position + 2) !== '="') {
      throw new SyslogSyntaxError(
        `is RFC 5424 but its STRUCTURED-DATA parameter ${id}.${name} is not followed by ="value"`,
      );
    }
    cursor.position += 2;
    params.push({ name, value: paramValue(cursor, `${id}.${name}`) });
  }
}

/**
 * PARAM-VALUE up to its closing quote. `\"`, `\\` and `\]` stand for the character; a backslash
 * before anything else is a backslash (RFC 5424 §6.3.3). An unescaped `]` is tolerated, since inside
 * the quotes it cannot end the element.
 */
function paramValue(cursor: Cursor, param: string): string {
  let value = '';
  const { text } = cursor;
  for (let i = cursor.position; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      cursor.position = i + 1;
      return value;
    }
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === ']')) {
      value += text[i + 1];
      i += 1;
    } else {
      value += c;
    }
  }
  throw new SyslogSyntaxError(
    `is RFC 5424 but the value of STRUCTURED-DATA parameter ${param} has no closing quote`,
  );
}

function withoutBom(message: string): string {
  return message.startsWith(BOM) ? message.slice(BOM.length) : message;
}

/** An RFC 3339 date-time with a zone as an instant, or null when it is not one (or names no real date). */
export function parseRfc3339(text: string): Date | null {
  const m = RFC3339_PATTERN.exec(text);
  if (!m) return null;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = m;
  const utc = utcInstant(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    fraction,
  );
  if (utc === null) return null;
  if (zulu) return new Date(utc);
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return null;
  const offsetMs = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  return new Date(sign === '+' ? utc - offsetMs : utc + offsetMs);
}

/**
 * Milliseconds since the epoch for a UTC wall-clock time, or null when the fields name no real time
 * (Feb 30, 25:00). A leap second (:60) becomes the last millisecond of its minute, as the contracts'
 * `parseTimestamp` reads it.
 */
function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
): number | null {
  if (hour > 23 || minute > 59 || second > 60) return null;
  const ms = second === 60 ? 999 : Math.floor(Number(`0.${fraction ?? '0'}`) * 1000);
  const instant = new Date(Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms));
  // Date.UTC rolls Feb 30 over into March; a real date round-trips.
  if (instant.getUTCFullYear() !== year || instant.getUTCMonth() !== month || instant.getUTCDate() !== day) {
    return null;
  }
  return instant.getTime();
}

function parse3164(text: string, now: Date): Parsed {
  const base = { format: 'rfc3164' as const, structuredData: [] };
  const header = readBsdTimestamp(text, now) ?? readRfc3339Prefix(text);
  if (!header) {
    // RFC 3164 §4.3.2: without a recognisable TIMESTAMP the whole rest is the MSG (no HOSTNAME).
    return { ...base, ...readTag(text) };
  }
  let rest = header.rest;
  // A relay that forwards a local message may leave out HOSTNAME: then the TAG follows the time.
  let hostname: string | undefined;
  if (rest !== '' && !TAG_PATTERN.test(rest)) {
    const end = rest.indexOf(' ');
    hostname = end === -1 ? rest : rest.slice(0, end);
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  return {
    ...base,
    timestamp: header.timestamp,
    ...(header.text !== undefined ? { timestampText: header.text } : {}),
    hostname,
    ...readTag(rest),
  };
}

interface Header {
  timestamp: Date;
  text?: string;
  /** What follows the timestamp and its SP. */
  rest: string;
}

function readBsdTimestamp(text: string, now: Date): Header | undefined {
  const m = BSD_TIMESTAMP_PATTERN.exec(text);
  if (!m) return undefined;
  const [written, monthName, day, year, hour, minute, second, fraction] = m;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month === -1) return undefined;
  const instant = (y: number) =>
    utcInstant(y, month, Number(day), Number(hour), Number(minute), Number(second), fraction);
  const timestamp = year ? instant(Number(year)) : guessYear(instant, now);
  if (timestamp === null) {
    throw new SyslogSyntaxError(
      `is RFC 3164 but its TIMESTAMP ${JSON.stringify(written)} names no real date`,
    );
  }
  return { timestamp: new Date(timestamp), text: written, rest: text.slice(written.length + 1) };
}

/**
 * RFC 3164 timestamps carry no year and no zone: the time is read as UTC, in the most recent year
 * that puts it no more than a day after `now` (so a December message read on 1 January is last
 * year's, and a sender slightly ahead at New Year is next year's).
 */
function guessYear(instant: (year: number) => number | null, now: Date): number | null {
  const latest = now.getTime() + BSD_FUTURE_TOLERANCE_MS;
  const year = now.getUTCFullYear();
  for (const candidate of [year + 1, year, year - 1]) {
    const t = instant(candidate);
    if (t !== null && t <= latest) return t;
  }
  return null;
}

/** rsyslog's forwarding format: RFC 3164's layout with an RFC 3339 timestamp. */
function readRfc3339Prefix(text: string): Header | undefined {
  const m = RFC3339_PREFIX_PATTERN.exec(text);
  const timestamp = m ? parseRfc3339(m[1]) : null;
  if (!m || !timestamp) return undefined;
  return { timestamp, rest: text.slice(m[0].length + 1) };
}

function readTag(text: string): Pick<SyslogMessage, 'appName' | 'procId' | 'message'> {
  const m = TAG_PATTERN.exec(text);
  if (!m) return { message: withoutBom(text) };
  return {
    appName: m[1],
    ...(m[2] !== undefined ? { procId: m[2] } : {}),
    message: withoutBom(text.slice(m[0].length)),
  };
}
