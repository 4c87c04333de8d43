import { LABEL_KEY_PATTERN, LIMITS, ProducerEventV1, validateProducerEvent } from '@vigil/contracts';
import {
  EMPTY_MESSAGE_SUMMARY,
  MappingContext,
  peerText,
  sdLabelKey,
  structuredDataLabels,
  SYSLOG_FACILITIES,
  toProducerEvent,
  truncate,
} from './syslog-mapping';
import { parseSyslog, SdElement, SyslogMessage } from './syslog-parser';

const RECEIVED = new Date('2026-06-15T12:00:00Z');
const context: MappingContext = {
  peer: { address: '192.0.2.10', port: 40514 },
  receivedAt: RECEIVED,
  maxFutureMs: 300_000,
};

function message(line: string): SyslogMessage {
  const result = parseSyslog(line, RECEIVED);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

/** Maps, and checks the contract takes the result: the mapping must never produce an invalid event. */
function mapped(line: string, ctx: MappingContext = context): ProducerEventV1 {
  const event = toProducerEvent(message(line), ctx);
  const validated = validateProducerEvent(event);
  if (!validated.ok) throw new Error(`invalid event: ${JSON.stringify(validated.errors)}`);
  return event;
}

describe('toProducerEvent', () => {
  it('maps an RFC 5424 message with structured data', () => {
    expect(
      mapped(
        '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 42 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event',
      ),
    ).toEqual({
      source: 'syslog',
      node: 'mymachine.example.com',
      type: 'evntslog/ID47',
      summary: 'An application event',
      severity: 'indeterminate',
      occurredAt: '2003-10-11T22:14:15.003Z',
      labels: {
        facility: 'local4',
        appName: 'evntslog',
        msgId: 'ID47',
        'exampleSDID_32473.iut': '3',
        'exampleSDID_32473.eventSource': 'Application',
        'exampleSDID_32473.eventID': '1011',
        'examplePriority_32473.class': 'high',
      },
      attributes: {
        syslog: {
          format: 'rfc5424',
          facility: 20,
          severity: 5,
          procId: '42',
          structuredData: {
            'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
            'examplePriority@32473': { class: 'high' },
          },
        },
      },
    });
  });

  it('maps an RFC 3164 message: TAG as type, PID kept out of the labels', () => {
    expect(mapped('<38>Jun  3 08:15:01 db-2 sshd[28311]: Accepted publickey for deploy')).toEqual({
      source: 'syslog',
      node: 'db-2',
      type: 'sshd',
      summary: 'Accepted publickey for deploy',
      severity: 'indeterminate',
      occurredAt: '2026-06-03T08:15:01.000Z',
      labels: { facility: 'auth', appName: 'sshd' },
      attributes: {
        syslog: {
          format: 'rfc3164',
          facility: 4,
          severity: 6,
          procId: '28311',
          timestamp: 'Jun  3 08:15:01',
        },
      },
    });
  });

  it('gives the same fingerprint inputs to two PIDs of one program', () => {
    const a = mapped('<35>Jun  3 08:15:01 db-2 sshd[1]: Failed password');
    const b = mapped('<35>Jun  3 08:16:01 db-2 sshd[2]: Failed password');
    expect([b.source, b.node, b.type, b.labels]).toEqual([a.source, a.node, a.type, a.labels]);
  });

  it.each([
    [0, 'critical'],
    [1, 'critical'],
    [2, 'critical'],
    [3, 'major'],
    [4, 'warning'],
    [5, 'indeterminate'],
    [6, 'indeterminate'],
    [7, 'indeterminate'],
  ])('maps syslog severity %i to %s', (severity, expected) => {
    expect(mapped(`<${8 + severity}>1 - h a - - - x`).severity).toBe(expected);
  });

  it.each(SYSLOG_FACILITIES.map((name, code) => [code, name] as const))(
    'labels facility %i as %s',
    (code, name) => {
      expect(mapped(`<${code * 8 + 6}>1 - h a - - - x`).labels).toMatchObject({ facility: name });
    },
  );

  it('names the usual facilities as syslog.h does', () => {
    expect([0, 1, 3, 4, 9, 10, 16, 23].map((code) => SYSLOG_FACILITIES[code])).toEqual([
      'kern',
      'user',
      'daemon',
      'auth',
      'cron',
      'authpriv',
      'local0',
      'local7',
    ]);
    expect(SYSLOG_FACILITIES).toHaveLength(24);
  });

  it('takes the node from the sender when the message names no host, without the IPv4-mapped prefix', () => {
    expect(mapped('<14>1 - - app - - - x').node).toBe('192.0.2.10');
    const dualStack = { ...context, peer: { address: '::ffff:10.1.2.3', port: 1 } };
    expect(mapped('<14>1 - - app - - - x', dualStack).node).toBe('10.1.2.3');
  });

  it('types a message without an application as syslog, with its MSGID if any', () => {
    expect(mapped('<14>1 - h - - - - x').type).toBe('syslog');
    expect(mapped('<14>1 - h - - LOGIN - x').type).toBe('syslog/LOGIN');
    expect(mapped('<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!').type).toBe('syslog');
  });

  it('cuts a long message in the summary and keeps it whole in attributes.message', () => {
    const long = `${'é'.repeat(2000)}!`;
    const event = mapped(`<14>1 - h a - - - ${long}`);
    expect(event.summary).toHaveLength(LIMITS.summaryLength);
    expect(event.summary.endsWith('é…')).toBe(true);
    expect(event.attributes?.message).toBe(long);
  });

  it('keeps a short message only in the summary, trimmed', () => {
    const event = mapped('<14>1 - h a - - -   spaced out  ');
    expect(event.summary).toBe('spaced out');
    expect(event.attributes).not.toHaveProperty('message');
  });

  it('gives a message without text a summary still', () => {
    expect(mapped('<14>1 - h a - - [x a="1"]').summary).toBe(EMPTY_MESSAGE_SUMMARY);
  });

  it('keeps volatile meta parameters out of the labels, but in the attributes', () => {
    const event = mapped('<14>1 - h a - - [meta sequenceId="17" sysUpTime="99" language="en"] x');
    expect(event.labels).toEqual({ facility: 'user', appName: 'a', 'meta.language': 'en' });
    expect(event.attributes?.syslog).toMatchObject({
      structuredData: { meta: { sequenceId: '17', sysUpTime: '99', language: 'en' } },
    });
  });

  it('joins repeated parameters in the labels and lists them in the attributes', () => {
    const event = mapped('<14>1 - h a - - [origin ip="10.0.0.5" ip="10.0.0.6"] x');
    expect(event.labels?.['origin.ip']).toBe('10.0.0.5,10.0.0.6');
    expect(event.attributes?.syslog).toMatchObject({
      structuredData: { origin: { ip: ['10.0.0.5', '10.0.0.6'] } },
    });
  });

  it('keeps at most the contract’s number of labels, and names those dropped', () => {
    const params = Array.from({ length: 70 }, (_, i) => `p${i}="${i}"`).join(' ');
    const event = mapped(`<14>1 - h a - ID [many ${params}] x`);
    expect(Object.keys(event.labels ?? {})).toHaveLength(LIMITS.labelCount);
    expect(event.labels).toMatchObject({ facility: 'user', appName: 'a', msgId: 'ID', 'many.p60': '60' });
    expect(event.attributes?.syslog).toMatchObject({
      droppedLabels: [
        'many.p61',
        'many.p62',
        'many.p63',
        'many.p64',
        'many.p65',
        'many.p66',
        'many.p67',
        'many.p68',
        'many.p69',
      ],
    });
  });

  it('cuts a label value over the contract’s length', () => {
    const event = mapped(`<14>1 - h a - - [x v="${'v'.repeat(3000)}"] x`);
    expect(event.labels?.['x.v']).toHaveLength(LIMITS.labelValueLength);
  });

  it('treats an SD-ID "__proto__" as data', () => {
    const event = mapped('<14>1 - h a - - [__proto__ polluted="yes"] x');
    expect(event.labels?.['__proto__.polluted']).toBe('yes');
    const sd = (event.attributes?.syslog as { structuredData: object }).structuredData;
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(Object.keys(sd)).toEqual(['__proto__']);
  });

  describe('occurredAt', () => {
    it('is left out when the message has no timestamp', () => {
      expect(mapped('<14>1 - h a - - - x')).not.toHaveProperty('occurredAt');
    });

    it('keeps an RFC 5424 timestamp in the future: it has a zone, so ingest judges the clock', () => {
      expect(mapped('<14>1 2026-06-15T13:00:00Z h a - - - x').occurredAt).toBe('2026-06-15T13:00:00.000Z');
    });

    it('drops a guessed RFC 3164 time that falls too far ahead, keeping the text', () => {
      // A sender at UTC+2 logging local time, two hours "ahead" of UTC.
      const event = mapped('<13>Jun 15 14:00:00 host app: x');
      expect(event).not.toHaveProperty('occurredAt');
      expect(event.attributes?.syslog).toMatchObject({ timestamp: 'Jun 15 14:00:00' });
    });

    it('keeps a guessed RFC 3164 time within the allowed clock skew', () => {
      expect(mapped('<13>Jun 15 12:04:00 host app: x').occurredAt).toBe('2026-06-15T12:04:00.000Z');
    });
  });
});

describe('label keys from structured data', () => {
  it.each([
    ['exampleSDID@32473', 'iut', 'exampleSDID_32473.iut'],
    ['origin', 'software', 'origin.software'],
    ['9lives', 'x', '_9lives.x'],
    ['a:b', 'c*d', 'a_b.c_d'],
    ['ünï', 'çødé', '_n_.__d_'],
    ['k8s.io/pod', 'name-x', 'k8s.io/pod.name-x'],
  ])('%s + %s → %s', (id, param, key) => {
    expect(sdLabelKey(id, param)).toBe(key);
    expect(key).toMatch(LABEL_KEY_PATTERN);
  });

  it('cuts a key to the contract’s length', () => {
    const key = sdLabelKey('i'.repeat(200), 'p');
    expect(key).toHaveLength(LIMITS.labelKeyLength);
    expect(key).toMatch(LABEL_KEY_PATTERN);
  });

  it('joins values whose keys sanitise alike rather than losing one', () => {
    const elements: SdElement[] = [
      { id: 'a@1', params: [{ name: 'x', value: 'first' }] },
      { id: 'a_1', params: [{ name: 'x', value: 'second' }] },
    ];
    expect(structuredDataLabels(elements, 10)).toEqual({ labels: { 'a_1.x': 'first,second' }, dropped: [] });
  });
});

describe('truncate', () => {
  it('never ends in half a surrogate pair', () => {
    const cut = truncate('ab😀cd', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('leaves text within the limit alone', () => {
    expect(truncate('abcd', 4)).toBe('abcd');
  });
});

describe('peerText', () => {
  it.each([
    [{ address: '192.0.2.1', port: 514 }, '192.0.2.1:514'],
    [{ address: '::1', port: 514 }, '[::1]:514'],
    [{ address: '::ffff:192.0.2.1', port: 514 }, '192.0.2.1:514'],
  ])('writes %j as %s', (peer, expected) => {
    expect(peerText(peer)).toBe(expected);
  });
});
