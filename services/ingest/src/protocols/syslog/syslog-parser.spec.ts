import { parseRfc3339, parseSyslog, SyslogMessage } from './syslog-parser';

const NOW = new Date('2026-06-15T12:00:00Z');
const BOM = '\uFEFF';

function parsed(line: string, now = NOW): SyslogMessage {
  const result = parseSyslog(line, now);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(line)} to parse, got: ${result.reason}`);
  return result.message;
}

function refusal(line: string): string {
  const result = parseSyslog(line, NOW);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(line)} to be refused, got ${JSON.stringify(result)}`);
  return result.reason;
}

describe('parseSyslog, RFC 5424', () => {
  it('reads the RFC example with a BOM in MSG and no structured data', () => {
    const message = parsed(
      `<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ${BOM}'su root' failed for lonvick on /dev/pts/8`,
    );
    expect(message).toEqual({
      format: 'rfc5424',
      facility: 4,
      severity: 2,
      timestamp: new Date('2003-10-11T22:14:15.003Z'),
      hostname: 'mymachine.example.com',
      appName: 'su',
      procId: undefined,
      msgId: 'ID47',
      structuredData: [],
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('converts a timestamp with an offset and microseconds to UTC', () => {
    const message = parsed(
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    );
    expect(message.timestamp?.toISOString()).toBe('2003-08-24T12:14:15.000Z');
    expect(message).toMatchObject({
      facility: 20,
      severity: 5,
      hostname: '192.0.2.1',
      appName: 'myproc',
      procId: '8710',
      msgId: undefined,
      message: "%% It's time to make the do-nuts.",
    });
  });

  it('reads several structured-data elements, one without parameters, and no MSG', () => {
    const message = parsed(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473]',
    );
    expect(message.structuredData).toEqual([
      {
        id: 'exampleSDID@32473',
        params: [
          { name: 'iut', value: '3' },
          { name: 'eventSource', value: 'Application' },
          { name: 'eventID', value: '1011' },
        ],
      },
      { id: 'examplePriority@32473', params: [] },
    ]);
    expect(message.message).toBe('');
  });

  it('unescapes \\" \\\\ and \\] in values, keeps other backslashes, and finds MSG even when it ends in ]', () => {
    const message = parsed(
      String.raw`<14>1 2024-05-02T10:11:12Z host app - - [x@1 q="say \"hi\"" dir="C:\\temp" br="a\]b" raw="a]b" other="\d+"] done [ok]`,
    );
    expect(message.structuredData[0].params).toEqual([
      { name: 'q', value: 'say "hi"' },
      { name: 'dir', value: 'C:\\temp' },
      { name: 'br', value: 'a]b' },
      { name: 'raw', value: 'a]b' },
      { name: 'other', value: '\\d+' },
    ]);
    expect(message.message).toBe('done [ok]');
  });

  it('keeps repeated parameters in order (rsyslog meta and origin)', () => {
    const message = parsed(
      '<30>1 2024-05-02T10:11:12.123456+02:00 web-1 nginx 1234 - [meta sequenceId="17" sysUpTime="123"][origin ip="10.0.0.5" ip="10.0.0.6" software="rsyslogd"] upstream timed out',
    );
    expect(message.timestamp?.toISOString()).toBe('2024-05-02T08:11:12.123Z');
    expect(message.structuredData[1]).toEqual({
      id: 'origin',
      params: [
        { name: 'ip', value: '10.0.0.5' },
        { name: 'ip', value: '10.0.0.6' },
        { name: 'software', value: 'rsyslogd' },
      ],
    });
    expect(message.message).toBe('upstream timed out');
  });

  it('reads a header of nil values', () => {
    expect(parsed('<14>1 - - - - - -')).toEqual({
      format: 'rfc5424',
      facility: 1,
      severity: 6,
      timestamp: undefined,
      hostname: undefined,
      appName: undefined,
      procId: undefined,
      msgId: undefined,
      structuredData: [],
      message: '',
    });
  });

  it('ignores the line end a sender added to a datagram', () => {
    expect(parsed('<14>1 - h a - - - hello\r\n').message).toBe('hello');
  });

  it.each([
    ['a header cut short', '<34>1 2003-10-11T22:14:15.003Z host app', /header stops at APP-NAME/],
    ['two spaces in the header', '<34>1 2003-10-11T22:14:15Z  host app - - - x', /HOSTNAME is empty/],
    ['a timestamp without a zone', '<34>1 2003-10-11T22:14:15 host app - - - x', /TIMESTAMP .* zone/],
    ['a date that does not exist', '<34>1 2003-02-30T22:14:15Z host app - - - x', /TIMESTAMP/],
    ['structured data that is not [..] or -', '<34>1 - host app - - x msg', /neither "-" nor/],
    ['a parameter without quotes', '<34>1 - host app - - [x a=1] msg', /x\.a is not followed by ="value"/],
    ['an unterminated value', '<34>1 - host app - - [x a="1] msg', /x\.a has no closing quote/],
    ['an element not closed', '<34>1 - host app - - [x a="1"', /\[x is not closed/],
    ['MSG glued to the structured data', '<34>1 - host app - - [x]msg', /right after its STRUCTURED-DATA/],
  ])('refuses %s', (_case, line, reason) => {
    expect(refusal(line)).toMatch(reason);
  });
});

describe('parseSyslog, RFC 3164', () => {
  it('reads the RFC example, in the current year and in UTC', () => {
    expect(parsed("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8")).toEqual({
      format: 'rfc3164',
      facility: 4,
      severity: 2,
      timestamp: new Date('2025-10-11T22:14:15Z'), // October 2026 would be months ahead of NOW
      timestampText: 'Oct 11 22:14:15',
      hostname: 'mymachine',
      appName: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
      structuredData: [],
    });
  });

  it('reads a TAG with a PID and a space-padded day', () => {
    const message = parsed(
      '<38>Jun  3 08:15:01 db-2 sshd[28311]: Accepted publickey for deploy from 10.1.2.3 port 51234 ssh2',
    );
    expect(message).toMatchObject({
      timestamp: new Date('2026-06-03T08:15:01Z'),
      hostname: 'db-2',
      appName: 'sshd',
      procId: '28311',
      message: 'Accepted publickey for deploy from 10.1.2.3 port 51234 ssh2',
    });
  });

  it('reads an IPv4 host and a message without a TAG (RFC example)', () => {
    const message = parsed('<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!');
    expect(message).toMatchObject({ hostname: '10.0.0.99', message: 'Use the BFG!' });
    expect(message.appName).toBeUndefined();
  });

  it('reads an IPv6 host, which is not mistaken for a TAG', () => {
    expect(parsed('<13>Jun  5 17:32:18 2001:db8::1 app: hi')).toMatchObject({
      hostname: '2001:db8::1',
      appName: 'app',
      message: 'hi',
    });
  });

  it('reads a TAG with a slash (postfix) and keeps brackets in the message', () => {
    expect(
      parsed('<22>Mar  7 23:59:59 mx1 postfix/smtpd[4242]: connect from unknown[192.0.2.7]'),
    ).toMatchObject({
      hostname: 'mx1',
      appName: 'postfix/smtpd',
      procId: '4242',
      message: 'connect from unknown[192.0.2.7]',
    });
  });

  it('reads a message forwarded without HOSTNAME', () => {
    const message = parsed('<78>Jun 11 22:14:15 CRON[123]: pam_unix(cron:session): session opened');
    expect(message).toMatchObject({
      appName: 'CRON',
      procId: '123',
      message: 'pam_unix(cron:session): session opened',
    });
    expect(message.hostname).toBeUndefined();
  });

  it('reads a message without TIMESTAMP as all MSG, TAG included (RFC 3164 §4.3.2)', () => {
    const message = parsed('<4>kernel: eth0: link down');
    expect(message).toMatchObject({
      facility: 0,
      severity: 4,
      appName: 'kernel',
      message: 'eth0: link down',
    });
    expect(message.timestamp).toBeUndefined();
    expect(message.hostname).toBeUndefined();
  });

  it("reads rsyslog's forwarding format (RFC 3339 timestamp), whose time needs no guessing", () => {
    const message = parsed('<30>2024-05-02T10:11:12.123+02:00 web-1 systemd[1]: Started Session 3.');
    expect(message).toMatchObject({
      timestamp: new Date('2024-05-02T08:11:12.123Z'),
      hostname: 'web-1',
      appName: 'systemd',
      procId: '1',
      message: 'Started Session 3.',
    });
    expect(message.timestampText).toBeUndefined();
  });

  it('reads a timestamp with a year and milliseconds', () => {
    expect(parsed('<187>Oct 11 2003 22:14:15.250 switch-1 %LINK-3-UPDOWN: Interface down')).toMatchObject({
      timestamp: new Date('2003-10-11T22:14:15.250Z'),
      hostname: 'switch-1',
      message: '%LINK-3-UPDOWN: Interface down',
    });
  });

  it('drops a BOM at the start of MSG', () => {
    expect(parsed(`<13>Jun  5 17:32:18 h app: ${BOM}grüße`).message).toBe('grüße');
  });

  it.each([
    ['late December read on New Year', 'Dec 31 23:59:00', '2027-01-01T00:30:00Z', '2026-12-31T23:59:00.000Z'],
    [
      'a sender a minute ahead at New Year',
      'Jan  1 00:01:00',
      '2026-12-31T23:59:30Z',
      '2027-01-01T00:01:00.000Z',
    ],
    ['today', 'Jun 15 11:00:00', '2026-06-15T12:00:00Z', '2026-06-15T11:00:00.000Z'],
    ['less than a day ahead', 'Jun 16 11:00:00', '2026-06-15T12:00:00Z', '2026-06-16T11:00:00.000Z'],
    ['more than a day ahead', 'Jun 17 12:00:01', '2026-06-15T12:00:00Z', '2025-06-17T12:00:01.000Z'],
    ['Feb 29, last in a leap year', 'Feb 29 10:00:00', '2025-03-10T00:00:00Z', '2024-02-29T10:00:00.000Z'],
  ])('gives a timestamp without year the right one: %s', (_case, written, now, expected) => {
    expect(parsed(`<13>${written} host app: x`, new Date(now)).timestamp?.toISOString()).toBe(expected);
  });

  it('refuses a timestamp naming no real date', () => {
    expect(refusal('<13>Feb 30 10:00:00 host app: x')).toMatch(/"Feb 30 10:00:00" names no real date/);
  });
});

describe('parseSyslog, anything else', () => {
  it.each([
    ['no PRI', 'hello world', /must start with a PRI/],
    ['an HTTP request', 'GET / HTTP/1.1', /must start with a PRI/],
    ['a PRI out of range', '<192>1 - - - - - -', /PRI <192>, out of range/],
    ['a PRI alone', '<13>', /nothing after its PRI/],
  ])('refuses %s', (_case, line, reason) => {
    expect(refusal(line)).toMatch(reason);
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['1985-04-12T23:20:50.52Z', '1985-04-12T23:20:50.520Z'],
    ['1985-04-12t23:20:50z', '1985-04-12T23:20:50.000Z'],
    ['2003-10-11T22:14:15.003+05:30', '2003-10-11T16:44:15.003Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
  ])('reads %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2003-10-11 22:14:15Z',
    '2003-10-11T24:00:00Z',
    '2003-10-11T22:14:15+24:00',
    '2003-13-01T00:00:00Z',
  ])('refuses %s', (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });
});
