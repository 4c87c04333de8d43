import { LIMITS, validateProducerEvent } from '@vigil/contracts';
import { CloudEvent } from './cloudevent';
import { DATA_TEXT_LIMIT, producerIdOf, severityOfNumber, toProducerEvent } from './mapping';

const base: CloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: 'https://monitor.example.com/checks',
  type: 'com.example.disk.full',
  extensions: {},
  data: { kind: 'none' },
};

function map(overrides: Partial<CloudEvent>, options: { source: string | undefined } = { source: 'shop' }) {
  return toProducerEvent({ ...base, ...overrides }, options);
}

describe('toProducerEvent', () => {
  it('maps the envelope: Vigil source from the transport, type, time, ce_source label', () => {
    const { candidate } = map({ time: '2026-05-01T12:00:00Z', subject: 'web-1' });
    expect(candidate).toMatchObject({
      id: producerIdOf(base.source, base.id),
      source: 'shop',
      type: 'com.example.disk.full',
      occurredAt: '2026-05-01T12:00:00Z',
      node: 'web-1',
      summary: 'com.example.disk.full: web-1',
      severity: 'indeterminate',
      labels: { ce_source: 'https://monitor.example.com/checks' },
      attributes: {
        cloudevent: {
          specversion: '1.0',
          id: 'evt-1',
          source: base.source,
          type: base.type,
          subject: 'web-1',
          time: '2026-05-01T12:00:00Z',
        },
      },
    });
    expect(validateProducerEvent(candidate)).toMatchObject({ ok: true });
  });

  it('leaves the source out when the transport has none (the event is then refused)', () => {
    expect(map({}, { source: undefined }).candidate).not.toHaveProperty('source');
  });

  it('takes node from subject, else the source URI host, else the source itself', () => {
    expect(map({ subject: 'db-7' }).candidate.node).toBe('db-7');
    expect(map({}).candidate.node).toBe('monitor.example.com');
    expect(map({ source: '/sensors/tn-1234567/alerts' }).candidate.node).toBe('/sensors/tn-1234567/alerts');
    expect(map({ source: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' }).candidate.node).toBe(
      'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    );
  });

  describe('data that is not a Vigil event', () => {
    it('reads summary, severity and node from it when present and keeps it whole in attributes', () => {
      const data = { message: 'disk 97% full', severity: 'error', node: 'web-2', usage: 97 };
      const { candidate } = map({ subject: 'ignored-for-node', data: { kind: 'json', value: data } });
      expect(candidate).toMatchObject({
        node: 'web-2',
        summary: 'disk 97% full',
        severity: 'error',
        attributes: { data },
      });
      expect(validateProducerEvent(candidate)).toMatchObject({ ok: true });
    });

    it('prefers data.summary to data.message, and falls back to the type', () => {
      const value = { summary: 'the summary', message: 'the message' };
      expect(map({ data: { kind: 'json', value } }).candidate.summary).toBe('the summary');
      expect(map({ data: { kind: 'json', value: [1, 2] } }).candidate.summary).toBe(base.type);
    });

    it('takes severity from data, then the severity extension, then severitytext, then severitynumber', () => {
      const json = (value: unknown) => ({ kind: 'json' as const, value });
      expect(
        map({ data: json({ severity: 'warn' }), extensions: { severity: 'critical' } }).candidate.severity,
      ).toBe('warn');
      // A severity Vigil does not understand falls through instead of refusing the event.
      expect(
        map({ data: json({ severity: 'SEV2' }), extensions: { severity: 'critical' } }).candidate.severity,
      ).toBe('critical');
      expect(map({ extensions: { severitytext: 'ERROR' } }).candidate.severity).toBe('ERROR');
      expect(map({ extensions: { severitytext: 'TRACE' } }).candidate.severity).toBe('indeterminate');
      expect(map({ extensions: { severitynumber: 21 } }).candidate.severity).toBe('critical');
      expect(map({ extensions: { severitynumber: '14' } }).candidate.severity).toBe('warning');
      expect(map({}).candidate.severity).toBe('indeterminate');
    });

    it('keeps text and binary data in attributes, bounded', () => {
      expect(map({ data: { kind: 'text', text: '<a/>' } }).candidate.attributes).toMatchObject({
        data_text: '<a/>',
      });
      expect(
        map({ data: { kind: 'binary', bytes: new Uint8Array([0, 255]) } }).candidate.attributes,
      ).toMatchObject({
        data_base64: 'AP8=',
      });
      const long = 'x'.repeat(DATA_TEXT_LIMIT + 10);
      expect(map({ data: { kind: 'text', text: long } }).candidate.attributes).toMatchObject({
        data_text: 'x'.repeat(DATA_TEXT_LIMIT),
        data_truncated: true,
        data_length: DATA_TEXT_LIMIT + 10,
      });
    });

    it('bounds a long subject or type-derived summary to the producer event limits', () => {
      const { candidate } = map({ subject: 'n'.repeat(2000) });
      expect((candidate.node as string).length).toBe(LIMITS.nodeLength);
      expect((candidate.summary as string).length).toBe(LIMITS.summaryLength);
    });
  });

  describe('data that is a Vigil producer event', () => {
    const vigil = {
      id: 'ignored',
      source: 'ignored',
      type: 'Ignored',
      node: 'web-1',
      summary: 'disk full',
      severity: 'major',
      labels: { env: 'prod', region: 'from-data' },
      attributes: { mount: '/var' },
      fingerprint: 'disk:web-1',
      category: 'os',
      service: 'api',
      environment: 'production',
      occurredAt: '2026-05-01T11:00:00Z',
      ticket: 'OPS-1',
    };

    it('takes its fields, while the envelope keeps id, source and type', () => {
      const { candidate } = map({
        data: { kind: 'json', value: vigil },
        extensions: { region: 'eu', tenant: 'acme' },
      });
      expect(candidate).toMatchObject({
        id: producerIdOf(base.source, base.id),
        source: 'shop',
        type: base.type,
        node: 'web-1',
        summary: 'disk full',
        severity: 'major',
        fingerprint: 'disk:web-1',
        category: 'os',
        service: 'api',
        environment: 'production',
        occurredAt: '2026-05-01T11:00:00Z',
        // The data's labels win over the extensions'.
        labels: { env: 'prod', region: 'from-data', tenant: 'acme', ce_source: base.source },
      });
      // Members the producer event does not have are kept, not dropped.
      expect(candidate.attributes).toMatchObject({
        mount: '/var',
        ticket: 'OPS-1',
        cloudevent: { id: 'evt-1' },
      });
      expect(validateProducerEvent(candidate)).toMatchObject({ ok: true });
    });

    it('prefers the envelope time to the data occurredAt', () => {
      const { candidate } = map({ time: '2026-05-01T12:00:00Z', data: { kind: 'json', value: vigil } });
      expect(candidate.occurredAt).toBe('2026-05-01T12:00:00Z');
    });

    it('passes invalid fields on as they are, so validation names them', () => {
      const { candidate } = map({
        data: { kind: 'json', value: { ...vigil, severity: 'bogus', labels: 'x' } },
      });
      const result = validateProducerEvent(candidate);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.field).sort()).toEqual(['labels', 'severity']);
    });
  });

  describe('extensions', () => {
    it('become sanitised string labels, except the per-event ones', () => {
      const { candidate, traceparent } = map({
        extensions: {
          region: 'eu',
          retries: 3,
          canary: true,
          '1st': 'x',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          sequence: '42',
          severitytext: 'INFO',
        },
      });
      expect(candidate.labels).toEqual({
        ce_source: base.source,
        region: 'eu',
        retries: '3',
        canary: 'true',
        _1st: 'x',
      });
      expect(traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      expect(candidate.attributes).toMatchObject({
        cloudevent: { extensions: { sequence: '42', severitytext: 'INFO', retries: 3 } },
      });
    });

    it('give way to the label limit rather than fail the event', () => {
      const extensions = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`ext${i}`, 'v']));
      const { candidate } = map({ extensions });
      expect(Object.keys(candidate.labels as object)).toHaveLength(LIMITS.labelCount);
      expect(candidate.labels).toHaveProperty('ce_source');
      expect(validateProducerEvent(candidate)).toMatchObject({ ok: true });
    });
  });
});

describe('producerIdOf', () => {
  it('is stable for a re-send and different for the same id from another source', () => {
    expect(producerIdOf('/a', '1')).toBe(producerIdOf('/a', '1'));
    expect(producerIdOf('/a', '1')).not.toBe(producerIdOf('/b', '1'));
    // The separator cannot be forged by moving characters between source and id.
    expect(producerIdOf('/a', 'b1')).not.toBe(producerIdOf('/ab', '1'));
  });

  it('fits the producer id rules whatever the input', () => {
    const id = producerIdOf('urn:x:' + 'é'.repeat(500), 'id with spaces and ünïcödé');
    expect(id).toMatch(/^ce-[0-9a-f]{64}$/);
    expect(id.length).toBeLessThanOrEqual(LIMITS.idLength);
  });
});

describe('severityOfNumber', () => {
  it('follows OpenTelemetry severity number ranges', () => {
    expect([1, 8, 12, 13, 16, 17, 20, 21, 24].map((n) => severityOfNumber(n))).toEqual([
      'indeterminate',
      'indeterminate',
      'indeterminate',
      'warning',
      'warning',
      'major',
      'major',
      'critical',
      'critical',
    ]);
    expect(severityOfNumber(0)).toBeUndefined();
    expect(severityOfNumber(25)).toBeUndefined();
    expect(severityOfNumber('high')).toBeUndefined();
  });
});
