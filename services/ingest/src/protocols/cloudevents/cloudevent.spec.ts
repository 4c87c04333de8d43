import {
  CloudEvent,
  decodeHeaderValue,
  httpContentMode,
  isJsonMediaType,
  natsContentMode,
  readBatch,
  readBinary,
  readNatsMessage,
  readStructured,
  readStructuredBytes,
  ReadResult,
} from './cloudevent';

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const minimal = {
  specversion: '1.0',
  id: 'A234-1234-1234',
  source: '/mycontext',
  type: 'com.example.someevent',
};

function eventOf(result: ReadResult): CloudEvent {
  if (!result.ok) throw new Error(`expected a CloudEvent, got ${JSON.stringify(result.errors)}`);
  return result.event;
}

function errorsOf(result: ReadResult) {
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('readStructured', () => {
  it('reads the core attributes, extensions and JSON data', () => {
    const event = eventOf(
      readStructuredBytes(
        encode({
          ...minimal,
          subject: 'orders/42',
          time: '2018-04-05T17:31:00Z',
          datacontenttype: 'application/json',
          dataschema: 'https://example.com/schema.json',
          comexampleextension1: 'value',
          comexampleothervalue: 5,
          flag: true,
          unsetextension: null,
          data: { appinfoA: 'abc', appinfoB: 123 },
        }),
      ),
    );
    expect(event).toEqual({
      ...minimal,
      subject: 'orders/42',
      time: '2018-04-05T17:31:00Z',
      datacontenttype: 'application/json',
      dataschema: 'https://example.com/schema.json',
      extensions: { comexampleextension1: 'value', comexampleothervalue: 5, flag: true },
      data: { kind: 'json', value: { appinfoA: 'abc', appinfoB: 123 } },
    });
  });

  it('treats null attributes as absent and tells an explicit null data from no data', () => {
    expect(eventOf(readStructured({ ...minimal, subject: null, data: null })).data).toEqual({
      kind: 'json',
      value: null,
    });
    const event = eventOf(readStructured(minimal));
    expect(event.data).toEqual({ kind: 'none' });
    expect(event).not.toHaveProperty('subject');
  });

  it('keeps a string data of a non-JSON content type as text, and of no content type as a JSON string', () => {
    expect(
      eventOf(readStructured({ ...minimal, datacontenttype: 'application/xml', data: '<a/>' })).data,
    ).toEqual({
      kind: 'text',
      text: '<a/>',
    });
    expect(eventOf(readStructured({ ...minimal, data: "I'm just a string" })).data).toEqual({
      kind: 'json',
      value: "I'm just a string",
    });
  });

  it('decodes data_base64', () => {
    const event = eventOf(
      readStructured({ ...minimal, datacontenttype: 'application/octet-stream', data_base64: 'AAEC/w==' }),
    );
    expect(event.data).toEqual({ kind: 'binary', bytes: new Uint8Array([0, 1, 2, 255]) });
  });

  it('refuses data_base64 that is not Base64, or that comes with data', () => {
    expect(errorsOf(readStructured({ ...minimal, data_base64: 'not base64!' }))).toEqual([
      { field: 'data_base64', reason: 'must be a Base64 string (RFC 4648)' },
    ]);
    expect(errorsOf(readStructured({ ...minimal, data_base64: 'AA==', data: {} }))).toEqual([
      { field: 'data_base64', reason: 'must not be present together with data' },
    ]);
  });

  it('names a missing specversion', () => {
    const { specversion: _specversion, ...rest } = minimal;
    expect(errorsOf(readStructured(rest))).toEqual([{ field: 'specversion', reason: 'is required' }]);
  });

  it('names a specversion other than 1.0 and what it got', () => {
    expect(errorsOf(readStructured({ ...minimal, specversion: '0.3' }))).toEqual([
      { field: 'specversion', reason: 'must be "1.0" (got "0.3"): only CloudEvents 1.0 is supported' },
    ]);
    expect(errorsOf(readStructured({ ...minimal, specversion: 1 }))[0].reason).toMatch(
      /^must be "1.0" \(got 1\)/,
    );
  });

  it('names each missing or empty required attribute', () => {
    const errors = errorsOf(readStructured({ specversion: '1.0', source: '', type: 7 }));
    expect(errors).toEqual([
      { field: 'id', reason: 'is required' },
      { field: 'source', reason: 'must be a non-empty string' },
      { field: 'type', reason: 'must be a string (got 7)' },
    ]);
  });

  it('refuses a time that is not RFC 3339', () => {
    expect(errorsOf(readStructured({ ...minimal, time: '05/04/2018 17:31' }))).toEqual([
      {
        field: 'time',
        reason:
          'must be an RFC 3339 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z (got "05/04/2018 17:31")',
      },
    ]);
    expect(errorsOf(readStructured({ ...minimal, time: '2018-04-05T17:31:00' }))[0].field).toBe('time');
  });

  it('refuses attribute names that are not lower-case letters and digits, and "data" as an attribute', () => {
    const errors = errorsOf(readStructured({ ...minimal, myExtension: 'x', my_ext: 'y' }));
    expect(errors.map((e) => e.field)).toEqual(['myExtension', 'my_ext']);
    expect(errors[0].reason).toMatch(/lower-case letters and digits/);
  });

  it('refuses extension values that are not string, integer or boolean, and control characters', () => {
    const errors = errorsOf(readStructured({ ...minimal, nested: { a: 1 }, ratio: 0.5, note: 'a\nb' }));
    expect(errors).toEqual([
      { field: 'nested', reason: expect.stringMatching(/^must be a string, an integer or a boolean/) },
      { field: 'ratio', reason: expect.stringMatching(/^must be an integer/) },
      { field: 'note', reason: 'must not contain control characters' },
    ]);
  });

  it('refuses a body that is not a JSON object', () => {
    expect(errorsOf(readStructuredBytes(encode('{"specversion":')))[0]).toMatchObject({
      field: '$',
      reason: expect.stringMatching(/^is not valid JSON/),
    });
    expect(errorsOf(readStructured([minimal]))[0].field).toBe('$');
  });
});

describe('readBinary', () => {
  const headers = {
    'ce-specversion': '1.0',
    'ce-type': 'com.example.someevent',
    'ce-time': '2018-04-05T03:56:24Z',
    'ce-id': '1234-1234-1234',
    'ce-source': '/mycontext/subcontext',
  };

  it('reads attributes from ce- headers (any case), data from the body, datacontenttype from Content-Type', () => {
    const event = eventOf(
      readBinary(
        {
          ...headers,
          'Ce-Region': 'eu%20west',
          'content-type': 'application/json; charset=utf-8',
          other: 'x',
        },
        encode({ appinfoA: 'abc' }),
      ),
    );
    expect(event).toEqual({
      specversion: '1.0',
      id: '1234-1234-1234',
      source: '/mycontext/subcontext',
      type: 'com.example.someevent',
      time: '2018-04-05T03:56:24Z',
      datacontenttype: 'application/json; charset=utf-8',
      extensions: { region: 'eu west' },
      data: { kind: 'json', value: { appinfoA: 'abc' } },
    });
  });

  it('prefers the NATS binding ce-datacontenttype header over Content-Type', () => {
    const event = eventOf(readBinary({ ...headers, 'ce-datacontenttype': 'text/plain' }, encode('hello')));
    expect(event.datacontenttype).toBe('text/plain');
    expect(event.data).toEqual({ kind: 'text', text: 'hello' });
  });

  it('tries JSON without a content type, and keeps non-UTF-8 bytes as binary', () => {
    expect(eventOf(readBinary(headers, encode('{"a":1}'))).data).toEqual({ kind: 'json', value: { a: 1 } });
    expect(eventOf(readBinary(headers, encode('plain words'))).data).toEqual({
      kind: 'text',
      text: 'plain words',
    });
    const bytes = new Uint8Array([0xff, 0xfe, 0x00]);
    expect(
      eventOf(readBinary({ ...headers, 'content-type': 'application/octet-stream' }, bytes)).data,
    ).toEqual({
      kind: 'binary',
      bytes,
    });
    expect(eventOf(readBinary(headers, new Uint8Array())).data).toEqual({ kind: 'none' });
  });

  it('refuses a JSON content type whose body is not JSON', () => {
    expect(errorsOf(readBinary({ ...headers, 'content-type': 'application/json' }, encode('{oops')))).toEqual(
      [
        {
          field: 'data',
          reason: expect.stringMatching(
            /^is not valid JSON .*, although datacontenttype is application\/json$/,
          ),
        },
      ],
    );
  });

  it('names missing and invalid attributes with their headers', () => {
    const errors = errorsOf(
      readBinary({ 'ce-specversion': '0.3', 'ce-source': '/s', 'ce-type': 't' }, encode('{}')),
    );
    expect(errors).toEqual([
      { field: 'id', reason: 'is required (header ce-id)' },
      {
        field: 'specversion',
        reason: 'must be "1.0" (got "0.3"): only CloudEvents 1.0 is supported (header ce-specversion)',
      },
    ]);
  });

  it('refuses header values that are not valid percent-encoded UTF-8', () => {
    expect(errorsOf(readBinary({ ...headers, 'ce-note': '%C0%A0' }, encode('{}')))).toEqual([
      { field: 'note', reason: 'is not valid percent-encoded UTF-8 (got "%C0%A0") (header ce-note)' },
    ]);
  });
});

describe('decodeHeaderValue', () => {
  it('percent-decodes once and unquotes double-quoted values', () => {
    expect(decodeHeaderValue('Euro%20%E2%82%AC%20%F0%9F%98%80')).toEqual({ ok: true, value: 'Euro € 😀' });
    expect(decodeHeaderValue('%2541')).toEqual({ ok: true, value: '%41' });
    expect(decodeHeaderValue('"a \\"quoted\\" value"')).toEqual({ ok: true, value: 'a "quoted" value' });
  });
});

describe('readBatch', () => {
  it('reads a JSON array, each item left to readStructured', () => {
    const batch = readBatch(encode([minimal, { ...minimal, id: '2' }]));
    expect(batch).toEqual({ ok: true, items: [minimal, { ...minimal, id: '2' }] });
    expect(readBatch(encode([]))).toEqual({ ok: true, items: [] });
  });

  it('refuses a body that is not a JSON array', () => {
    expect(readBatch(encode(minimal))).toEqual({
      ok: false,
      errors: [{ field: '$', reason: 'must be a JSON array of CloudEvents (JSON batch format)' }],
    });
  });
});

describe('content modes', () => {
  it('over HTTP, decides by Content-Type, then by ce-specversion', () => {
    expect(httpContentMode({ 'content-type': 'application/cloudevents+json; charset=UTF-8' })).toEqual({
      ok: true,
      mode: 'structured',
    });
    expect(httpContentMode({ 'content-type': 'application/cloudevents-batch+json' })).toEqual({
      ok: true,
      mode: 'batch',
    });
    expect(httpContentMode({ 'content-type': 'text/plain', 'ce-specversion': '1.0' })).toEqual({
      ok: true,
      mode: 'binary',
    });
    expect(
      httpContentMode({ 'content-type': 'application/cloudevents+avro', 'ce-specversion': '1.0' }),
    ).toEqual({
      ok: true,
      mode: 'binary',
    });
    expect(httpContentMode({ 'content-type': 'application/json' })).toMatchObject({ ok: false });
    expect(httpContentMode({ 'content-type': 'application/cloudevents+avro' })).toMatchObject({ ok: false });
  });

  it('over NATS, decides by Content-Type, then ce-specversion, then a body with specversion', () => {
    const vigil = encode({ source: 'demo', node: 'n', type: 't', summary: 's', severity: 'major' });
    expect(natsContentMode({ 'Content-Type': 'application/cloudevents+json' }, encode(minimal))).toEqual({
      mode: 'structured',
      mediaType: 'application/cloudevents+json',
    });
    expect(natsContentMode({ 'CE-SpecVersion': '1.0' }, vigil)).toEqual({ mode: 'binary' });
    expect(natsContentMode({}, encode(minimal))).toEqual({ mode: 'structured', parsed: minimal });
    expect(natsContentMode({ 'Nats-Msg-Id': 'x' }, vigil)).toBeUndefined();
    // Only a top-level specversion counts: Vigil's events may mention it anywhere else.
    expect(natsContentMode({}, encode({ attributes: { specversion: '1.0' } }))).toBeUndefined();
    expect(natsContentMode({}, encode('{"specversion": '))).toBeUndefined();
  });

  it('refuses a batch or a non-JSON event format over NATS', () => {
    const batch = readNatsMessage(
      { mode: 'structured', mediaType: 'application/cloudevents-batch+json' },
      {},
      encode([minimal]),
    );
    expect(errorsOf(batch)[0].reason).toMatch(/batch cannot be sent over NATS/);
    const avro = readNatsMessage(
      { mode: 'structured', mediaType: 'application/cloudevents+avro' },
      {},
      encode('x'),
    );
    expect(errorsOf(avro)[0].reason).toMatch(/application\/cloudevents\+avro is not supported/);
  });

  it('knows JSON media types', () => {
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('application/vnd.api+json; charset=utf-8')).toBe(true);
    expect(isJsonMediaType('text/json')).toBe(true);
    expect(isJsonMediaType('application/xml')).toBe(false);
    expect(isJsonMediaType(undefined)).toBe(false);
  });
});
