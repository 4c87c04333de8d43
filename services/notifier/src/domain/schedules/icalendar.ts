import { Shift } from './on-call';

export interface ICalendarInput {
  scheduleId: string;
  /** The schedule's name: the calendar's name and the head of each event's summary. */
  name: string;
  shifts: readonly Shift[];
  /** Display names by user id; an id without one is shown as the id. */
  userNames?: Readonly<Record<string, string>>;
  /** DTSTAMP of every event; defaults to the current time. */
  now?: Date;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and line breaks are escaped. */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/**
 * RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and one space; a fold never splits
 * a UTF-8 sequence (nor a UTF-16 surrogate pair), so each piece stays valid text.
 */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let piece = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    // Continuation lines start with the folding space, which counts towards their 75.
    const limit = pieces.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      pieces.push(piece);
      piece = '';
      octets = 0;
    }
    piece += char;
    octets += size;
  }
  pieces.push(piece);
  return pieces.join(`${CRLF} `);
}

/** A UTC DATE-TIME in basic format: 20260329T070000Z. */
function utc(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * An RFC 5545 calendar (text/calendar) with one VEVENT per shift, times in UTC. UIDs are
 * `<scheduleId>-<start in epoch seconds>-<userId>@vigil`, stable across exports as long as the
 * shift starts at the same second, so a subscribed calendar updates events in place.
 */
export function toICalendar(input: ICalendarInput): string {
  const stamp = utc(input.now ?? new Date());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Vigil//On-call schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
  ];
  for (const shift of input.shifts) {
    const person = input.userNames?.[shift.userId] ?? shift.userId;
    const via = shift.source === 'override' ? 'an override' : `layer ${shift.source}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${input.scheduleId}-${Math.floor(shift.start.getTime() / 1000)}-${shift.userId}@vigil`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utc(shift.start)}`,
      `DTEND:${utc(shift.end)}`,
      `SUMMARY:${escapeText(`On call: ${input.name} (${person})`)}`,
      `DESCRIPTION:${escapeText(`${person} (${shift.userId}) is on call for ${input.name}, from ${via}.`)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
