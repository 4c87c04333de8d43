import { headers as natsHeaders } from '@nats-io/transport-node';
import { AcceptedEventV1, RejectedEventV1, StreamNames, Subjects } from '@vigil/contracts';
import { startTestService, TestNats, TestService, waitFor } from '@vigil/testing';
import { producerIdOf } from '../src/protocols/cloudevents/mapping';
import { ingestService } from '../src/service';

interface Problem {
  message: string;
  errors: { field: string; reason: string }[];
}

interface BatchReply {
  accepted: number;
  duplicates: number;
  refused: number;
  results: { index: number; status: number; id?: string; errors?: Problem['errors'] }[];
}

const cloudEvent = (id: string, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: 'https://monitor.example.com/checks',
  type: 'com.example.disk.full',
  subject: `node-${id}`,
  time: '2026-01-31T12:00:00Z',
  region: 'eu',
  data: { message: `disk full on ${id}`, severity: 'major', usage: 97 },
  ...extra,
});

describe('CloudEvents (real NATS and Postgres)', () => {
  let service: TestService;
  let nats: TestNats;
  let base: string;

  const accepted = async () =>
    (await nats.readStream(StreamNames.EventsAccepted)).map((m) => ({
      msg: m,
      event: m.json<AcceptedEventV1>(),
    }));
  const rejected = async () =>
    (await nats.readStream(StreamNames.EventsRejected)).map((m) => m.json<RejectedEventV1>());
  const acceptedWithNode = (node: string) =>
    waitFor(`the accepted event of ${node}`, async () =>
      (await accepted()).find((a) => a.event.node === node),
    );
  const publishRaw = (source: string, body: string, headers: Record<string, string> = {}) => {
    const h = natsHeaders();
    for (const [name, value] of Object.entries(headers)) h.set(name, value);
    return nats.client.js.publish(nats.client.space.subject(Subjects.EventsRaw, source), body, {
      headers: h,
    });
  };
  const post = (body: string, headers: Record<string, string>, query = '') =>
    fetch(`${base}/api/v1/cloudevents${query}`, { method: 'POST', headers, body });
  const structured = { 'content-type': 'application/cloudevents+json' };

  beforeAll(async () => {
    service = await startTestService(ingestService, {
      INGEST_AUTH: 'off',
      SYSLOG_UDP_PORT: '-1',
      SYSLOG_TCP_PORT: '-1',
    });
    nats = service.nats;
    base = service.url;
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe('over NATS', () => {
    it('accepts a structured CloudEvent without headers, taking the source from the subject', async () => {
      await publishRaw('shop', JSON.stringify(cloudEvent('nats-s1')));
      const stored = await acceptedWithNode('node-nats-s1');
      expect(stored.event).toMatchObject({
        source: 'shop',
        type: 'com.example.disk.full',
        summary: 'disk full on nats-s1',
        severity: 'major',
        occurredAt: '2026-01-31T12:00:00.000Z',
        producerId: producerIdOf('https://monitor.example.com/checks', 'nats-s1'),
        labels: { ce_source: 'https://monitor.example.com/checks', region: 'eu' },
        attributes: { data: { usage: 97 }, cloudevent: { id: 'nats-s1' } },
        origin: { via: 'nats', protocol: 'cloudevents', from: `${nats.prefix}.events.raw.shop` },
      });
    });

    it('accepts a structured CloudEvent announced by its Content-Type header', async () => {
      await publishRaw('shop', JSON.stringify(cloudEvent('nats-s2')), {
        'Content-Type': 'application/cloudevents+json',
      });
      expect((await acceptedWithNode('node-nats-s2')).event.origin).toMatchObject({
        protocol: 'cloudevents',
      });
    });

    it('accepts a binary CloudEvent whose data is a Vigil event, with its trace context', async () => {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await publishRaw(
        'shop',
        JSON.stringify({
          node: 'nats-b1',
          summary: 'queue stuck',
          severity: 'critical',
          labels: { env: 'prod' },
        }),
        {
          'ce-specversion': '1.0',
          'ce-id': 'nats-b1',
          'ce-source': '/queues/orders',
          'ce-type': 'com.example.queue.stuck',
          'ce-team': 'payments%20team',
          'ce-traceparent': traceparent,
          'content-type': 'application/json',
        },
      );
      const stored = await acceptedWithNode('nats-b1');
      expect(stored.event).toMatchObject({
        source: 'shop',
        type: 'com.example.queue.stuck',
        summary: 'queue stuck',
        severity: 'critical',
        labels: { env: 'prod', team: 'payments team', ce_source: '/queues/orders' },
        origin: { via: 'nats', protocol: 'cloudevents' },
      });
      expect(stored.event.labels).not.toHaveProperty('traceparent');
      expect(stored.msg.headers?.get('traceparent')).toBe(traceparent);
    });

    it('stores a re-sent CloudEvent (same source and id) once', async () => {
      const body = JSON.stringify(cloudEvent('nats-dup'));
      await publishRaw('shop', body);
      await publishRaw('shop', body);
      await publishRaw('shop', JSON.stringify(cloudEvent('nats-after-dup')));
      await acceptedWithNode('node-nats-after-dup');
      expect((await accepted()).filter((a) => a.event.node === 'node-nats-dup')).toHaveLength(1);
    });

    it('archives malformed CloudEvents with their reasons, while the rest of the batch goes through', async () => {
      const { specversion: _specversion, ...withoutSpecversion } = cloudEvent('nats-bad-1');
      await Promise.all([
        publishRaw('shop', JSON.stringify(cloudEvent('nats-bad-0', { specversion: '0.3' }))),
        publishRaw('shop', JSON.stringify(withoutSpecversion), {
          'content-type': 'application/cloudevents+json',
        }),
        publishRaw('shop', '{}', {
          'ce-specversion': '1.0',
          'ce-source': '/s',
          'ce-type': 't',
          'content-type': 'application/json',
        }),
        publishRaw('shop', JSON.stringify(cloudEvent('nats-good'))),
      ]);
      await acceptedWithNode('node-nats-good');
      const refusals = await waitFor('three refusals', async () => {
        const all = (await rejected()).filter((r) => r.via === 'nats' && r.protocol === 'cloudevents');
        return all.length >= 3 && all;
      });
      const reasons = refusals.map((r) => r.reasons);
      expect(reasons).toEqual(
        expect.arrayContaining([
          [{ field: 'specversion', reason: 'must be "1.0" (got "0.3"): only CloudEvents 1.0 is supported' }],
          [{ field: 'specversion', reason: 'is required' }],
          [{ field: 'id', reason: 'is required (header ce-id)' }],
        ]),
      );
      const binary = refusals.find((r) => r.reasons[0].field === 'id');
      expect(binary).toMatchObject({ subject: `${nats.prefix}.events.raw.shop`, original: '{}' });
      expect(binary?.headers).toMatchObject({ 'ce-specversion': '1.0', 'ce-source': '/s' });
    });

    it('leaves Vigil producer events on their own path', async () => {
      await publishRaw(
        'shop',
        JSON.stringify({ node: 'nats-vigil', type: 'DiskFull', summary: 'disk full', severity: 'major' }),
        { 'Nats-Msg-Id': 'vigil-1' },
      );
      const stored = await acceptedWithNode('nats-vigil');
      expect(stored.event).toMatchObject({ source: 'shop', producerId: 'vigil-1' });
      expect(stored.event.origin).not.toHaveProperty('protocol');
    });
  });

  describe('over HTTP', () => {
    it('accepts a structured CloudEvent (202), under the fallback source cloudevents', async () => {
      const response = await post(JSON.stringify(cloudEvent('http-s1')), structured);
      expect(response.status).toBe(202);
      const body = (await response.json()) as { id: string; duplicate: boolean };
      expect(body).toMatchObject({ duplicate: false });
      // 202 came after the PubAck: no waiting needed.
      const stored = (await accepted()).find((a) => a.event.id === body.id);
      expect(stored?.event).toMatchObject({
        source: 'cloudevents',
        node: 'node-http-s1',
        type: 'com.example.disk.full',
        severity: 'major',
        origin: { via: 'http', protocol: 'cloudevents' },
      });
    });

    it('accepts a binary CloudEvent, under ?source=', async () => {
      const response = await post(
        'backup failed',
        {
          'content-type': 'text/plain',
          'ce-specversion': '1.0',
          'ce-id': 'http-b1',
          'ce-source': 'https://backup.example.com',
          'ce-type': 'com.example.backup.failed',
          'ce-severity': 'warning',
        },
        '?source=backups',
      );
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const stored = (await accepted()).find((a) => a.event.id === id);
      expect(stored?.event).toMatchObject({
        source: 'backups',
        node: 'backup.example.com',
        summary: 'com.example.backup.failed',
        severity: 'warning',
        attributes: { data_text: 'backup failed' },
        origin: { via: 'http', protocol: 'cloudevents' },
      });
    });

    it('answers a re-send with duplicate: true and stores it once', async () => {
      const body = JSON.stringify(cloudEvent('http-dup'));
      const first = (await (await post(body, structured)).json()) as { id: string };
      const second = await post(body, structured);
      expect(second.status).toBe(202);
      expect(await second.json()).toMatchObject({ id: first.id, duplicate: true });
      expect((await accepted()).filter((a) => a.event.id === first.id)).toHaveLength(1);
    });

    it('answers 400 naming the attribute, and archives the refusal', async () => {
      const body = JSON.stringify(cloudEvent('http-bad', { specversion: '0.3' }));
      const response = await post(body, structured);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as Problem;
      expect(problem.errors).toEqual([
        { field: 'specversion', reason: 'must be "1.0" (got "0.3"): only CloudEvents 1.0 is supported' },
      ]);
      expect(problem.message).toMatch(/^invalid CloudEvent: specversion: must be "1.0"/);
      const archived = (await rejected()).find((r) => r.original === body);
      expect(archived).toMatchObject({ via: 'http', protocol: 'cloudevents' });

      const binary = await post('{}', {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-source': '/s',
        'ce-type': 't',
        'ce-time': 'yesterday',
      });
      expect(binary.status).toBe(400);
      expect(((await binary.json()) as Problem).errors.map((e) => e.field)).toEqual(['id', 'time']);
    });

    it('answers 415 for a body that is neither structured, batched nor binary', async () => {
      const response = await post(JSON.stringify(cloudEvent('http-415')), {
        'content-type': 'application/json',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { message: string }).message).toMatch(/ce-specversion/);
    });

    it('accepts a batch: 202 when all are stored, 207 with a result per event otherwise', async () => {
      const batch = { 'content-type': 'application/cloudevents-batch+json' };
      const all = await post(JSON.stringify([cloudEvent('http-batch-1'), cloudEvent('http-batch-2')]), batch);
      expect(all.status).toBe(202);
      expect(await all.json()).toMatchObject({ accepted: 2, refused: 0 });

      const { id: _id, ...withoutId } = cloudEvent('http-batch-4');
      const mixed = await post(
        JSON.stringify([cloudEvent('http-batch-3'), withoutId, 'not an event']),
        batch,
      );
      expect(mixed.status).toBe(207);
      const reply = (await mixed.json()) as BatchReply;
      expect(reply).toMatchObject({ accepted: 1, refused: 2 });
      expect(reply.results.map((r) => [r.index, r.status])).toEqual([
        [0, 202],
        [1, 400],
        [2, 400],
      ]);
      expect(reply.results[1].errors).toEqual([{ field: 'id', reason: 'is required' }]);
      const stored = (await accepted()).find((a) => a.event.id === reply.results[0].id);
      expect(stored?.event).toMatchObject({ node: 'node-http-batch-3', origin: { protocol: 'cloudevents' } });
      expect((await rejected()).some((r) => r.original === JSON.stringify(withoutId))).toBe(true);
    });
  });
});
