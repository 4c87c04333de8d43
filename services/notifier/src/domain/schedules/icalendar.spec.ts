import { escapeText, foldLine, toICalendar } from './icalendar';
import { Shift } from './on-call';

const shift = (userId: string, start: string, end: string, source = 'primary'): Shift => ({
  userId,
  start: new Date(start),
  end: new Date(end),
  source,
});

const now = new Date('2026-03-01T12:00:00.123Z');

describe('toICalendar', () => {
  it('writes one VEVENT per shift, in UTC, with CRLF line endings', () => {
    const text = toICalendar({
      scheduleId: 'db-primary',
      name: 'DB primary',
      shifts: [
        shift('alice', '2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z'),
        shift('bob', '2026-03-29T07:00:00Z', '2026-03-30T07:00:00Z', 'override'),
      ],
      userNames: { alice: 'Alice Example' },
      now,
    });
    expect(text).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Vigil//On-call schedule//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:DB primary',
        'BEGIN:VEVENT',
        'UID:db-primary-1774684800-alice@vigil',
        'DTSTAMP:20260301T120000Z',
        'DTSTART:20260328T080000Z',
        'DTEND:20260329T070000Z',
        'SUMMARY:On call: DB primary (Alice Example)',
        'DESCRIPTION:Alice Example (alice) is on call for DB primary\\, from layer pr',
        ' imary.',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:db-primary-1774767600-bob@vigil',
        'DTSTAMP:20260301T120000Z',
        'DTSTART:20260329T070000Z',
        'DTEND:20260330T070000Z',
        'SUMMARY:On call: DB primary (bob)',
        'DESCRIPTION:bob (bob) is on call for DB primary\\, from an override.',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps UIDs stable between exports (start and user, not position or stamp)', () => {
    const one = shift('alice', '2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z');
    const uids = (shifts: Shift[], at: Date) =>
      toICalendar({ scheduleId: 's', name: 'n', shifts, now: at })
        .split('\r\n')
        .filter((line) => line.startsWith('UID:'));
    expect(uids([one], now)).toEqual(['UID:s-1774684800-alice@vigil']);
    expect(uids([shift('bob', '2026-03-27T08:00:00Z', '2026-03-28T08:00:00Z'), one], new Date())).toEqual([
      'UID:s-1774598400-bob@vigil',
      'UID:s-1774684800-alice@vigil',
    ]);
  });

  it('escapes TEXT values: backslash, semicolon, comma, line breaks', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    const text = toICalendar({ scheduleId: 's', name: 'Ops; night, "west"\\\nteam', shifts: [], now });
    expect(text).toContain('X-WR-CALNAME:Ops\\; night\\, "west"\\\\\\nteam\r\n');
  });

  it('folds lines longer than 75 octets without splitting a UTF-8 character', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    expect(foldLine('y'.repeat(200))).toBe(`${'y'.repeat(75)}\r\n ${'y'.repeat(74)}\r\n ${'y'.repeat(51)}`);
    // 74 ASCII octets then a 2-octet "é": it would end at octet 76, so it moves to the next line.
    expect(foldLine(`${'a'.repeat(74)}é`)).toBe(`${'a'.repeat(74)}\r\n é`);
    const long = toICalendar({
      scheduleId: 's',
      name: 'Bereitschaft für die Datenbanken – Überlauf 🚨 '.repeat(4),
      shifts: [shift('alice', '2026-03-28T08:00:00Z', '2026-03-29T07:00:00Z')],
      now,
    });
    for (const line of long.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // Unfolding gives back the original value.
    expect(long.replace(/\r\n /g, '')).toContain(
      `SUMMARY:On call: ${'Bereitschaft für die Datenbanken – Überlauf 🚨 '.repeat(4).replace(/,/g, '\\,')} (alice)`,
    );
  });
});
