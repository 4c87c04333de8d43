import { SyslogFrame, SyslogStreamFramer, utf8Head } from './syslog-framing';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');
const counted = (message: string) => `${bytes(message).length} ${message}`;

/** Frames as readable tuples: [kind, text, declared length if any]. */
function readable(frames: SyslogFrame[]): [string, string, number?][] {
  return frames.map((f) =>
    f.kind === 'message' ? [f.kind, text(f.bytes)] : [f.kind, text(f.bytes), f.declaredLength],
  );
}

function frame(chunks: (string | Uint8Array)[], maxBytes = 1024, end = false) {
  const framer = new SyslogStreamFramer(maxBytes);
  const frames = chunks.flatMap((c) => framer.push(typeof c === 'string' ? bytes(c) : c));
  return readable(end ? [...frames, ...framer.end()] : frames);
}

describe('SyslogStreamFramer', () => {
  it('reads an octet-counted frame split across chunks, even inside its length', () => {
    const stream = counted('<34>1 - host app - - - a message of some length');
    const cuts = [1, 2, 3, 10, stream.length - 1];
    const chunks = cuts.map((cut, i) => stream.slice(i === 0 ? 0 : cuts[i - 1], cut));
    chunks.push(stream.slice(cuts[cuts.length - 1]));
    expect(frame(chunks)).toEqual([['message', '<34>1 - host app - - - a message of some length']]);
  });

  it('reads several frames of both kinds from one chunk', () => {
    const stream = `${counted('<13>1 - a b - - - one')}${counted('<13>1 - a b - - - two\nwith a newline')}<13>three\n<13>four\r\n<13>five\0`;
    expect(frame([stream])).toEqual([
      ['message', '<13>1 - a b - - - one'],
      ['message', '<13>1 - a b - - - two\nwith a newline'],
      ['message', '<13>three'],
      ['message', '<13>four'],
      ['message', '<13>five'],
    ]);
  });

  it('gives the same frames fed one byte at a time as fed whole', () => {
    const stream = `${counted('<13>1 - a b - - - é')}\n<13>line\r\n\n${counted('<14>x')}2024-01-01 not a length\n`;
    const whole = frame([stream]);
    expect(frame([...bytes(stream)].map((b) => Uint8Array.of(b)))).toEqual(whole);
    expect(whole).toEqual([
      ['message', '<13>1 - a b - - - é'],
      ['message', '<13>line'],
      ['message', '<14>x'],
      ['message', '2024-01-01 not a length'],
    ]);
  });

  it('skips blank lines, also the newline some senders put after an octet-counted frame', () => {
    expect(frame([`\n\r\n  \n${counted('<13>a')}\n<13>b\n`])).toEqual([
      ['message', '<13>a'],
      ['message', '<13>b'],
    ]);
  });

  it('hands on a line of digits (no space, so no length) as a line', () => {
    expect(frame(['12345678901234\n'])).toEqual([['message', '12345678901234']]);
  });

  it('refuses a line longer than the limit before its end arrives, then resumes at the next line', () => {
    const long = 'x'.repeat(50);
    expect(frame([`<13>${long}`, long, `${long}\n<13>next\n`], 40)).toEqual([
      ['oversize', `<13>${long}`.slice(0, 40), undefined],
      ['message', '<13>next'],
    ]);
  });

  it('refuses a complete line just over the limit, but not one whose CRLF makes it look so', () => {
    expect(frame([`${'a'.repeat(10)}\r\n${'b'.repeat(11)}\n`], 10)).toEqual([
      ['message', 'a'.repeat(10)],
      ['oversize', 'b'.repeat(10), undefined],
    ]);
  });

  it('refuses an octet-counted frame over the limit, skips its declared length and resumes', () => {
    const framer = new SyslogStreamFramer(100);
    const frames = [...framer.push(bytes('100000 ')), ...framer.push(bytes('<13>'))];
    // 100000 bytes in 1000-byte chunks: one frame out, never the whole body held.
    for (let i = 0; i < 100; i += 1)
      frames.push(...framer.push(new Uint8Array(1000 - (i === 0 ? 4 : 0)).fill(0x41)));
    frames.push(...framer.push(bytes(counted('<13>after'))));
    expect(readable(frames)).toEqual([
      ['oversize', `<13>${'A'.repeat(96)}`, 100000],
      ['message', '<13>after'],
    ]);
  });

  it('does not take a character apart when it cuts an oversize frame', () => {
    // 'é' is two bytes; the limit of 5 falls between them.
    expect(frame(['abcdé…\n'], 5)).toEqual([['oversize', 'abcd', undefined]]);
  });

  describe('when the peer closes', () => {
    it('hands on a last line without its LF', () => {
      expect(frame(['<13>a\n<13>b'], 1024, true)).toEqual([
        ['message', '<13>a'],
        ['message', '<13>b'],
      ]);
    });

    it('hands on half an octet-counted frame as incomplete', () => {
      expect(frame(['20 <13>half'], 1024, true)).toEqual([['incomplete', '<13>half', 20]]);
    });

    it('hands on a closing oversize frame not yet reported', () => {
      expect(frame(['500 <13>abc'], 100, true)).toEqual([['oversize', '<13>abc', 500]]);
    });

    it('hands on nothing after a complete frame', () => {
      expect(frame([counted('<13>a')], 1024, true)).toEqual([['message', '<13>a']]);
    });
  });
});

describe('utf8Head', () => {
  const euro = bytes('€'); // 3 bytes
  it.each([
    [3, 'ab'], // would cut € after its first byte
    [4, 'ab'], // after its second
    [5, 'ab€'],
    [2, 'ab'],
  ])('keeps whole characters within %i bytes', (limit, expected) => {
    expect(text(utf8Head(Buffer.concat([bytes('ab'), euro, bytes('cd')]), limit))).toBe(expected);
  });

  it('cuts at the limit when the bytes are not UTF-8', () => {
    expect(utf8Head(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80), 4)).toHaveLength(4);
  });
});
