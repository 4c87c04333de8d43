import {
  AcceptedEventV1,
  RejectedEventV1,
  RpcEnvelope,
  RpcSubjects,
  StreamNames,
  Subjects,
  SubmitEventReplyV1,
} from '@vigil/contracts';
import { startTestService, TestNats, TestService, waitFor } from '@vigil/testing';
import { ingestService } from '../src/service';

const event = {
  source: 'demo',
  node: 'web-1',
  type: 'DiskFull',
  summary: 'disk 97% full',
  severity: 'major',
};

describe('ingest (real NATS and Postgres)', () => {
  let service: TestService;
  let nats: TestNats;
  let base: string;

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const accepted = async () =>
    (await nats.readStream(StreamNames.EventsAccepted)).map((m) => ({
      msg: m,
      event: m.json<AcceptedEventV1>(),
    }));
  const rejected = async () =>
    (await nats.readStream(StreamNames.EventsRejected)).map((m) => m.json<RejectedEventV1>());
  const publishRaw = (source: string, body: string, msgId?: string) =>
    nats.client.js.publish(
      nats.client.space.subject(Subjects.EventsRaw, source),
      body,
      msgId ? { msgID: msgId } : {},
    );

  beforeAll(async () => {
    service = await startTestService(ingestService, {
      INGEST_MAX_EVENT_BYTES: '4096',
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

  describe('over HTTP', () => {
    it('answers 202 with the id once the accepted event is in the stream', async () => {
      const response = await post(JSON.stringify({ ...event, id: 'http-1' }));
      expect(response.status).toBe(202);
      const body = (await response.json()) as { id: string; fingerprint: string; duplicate: boolean };
      expect(body).toMatchObject({ duplicate: false, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
      // 202 came after the PubAck: the event is already stored, no waiting needed.
      const stored = (await accepted()).find((a) => a.event.id === body.id);
      expect(stored?.event).toMatchObject({
        producerId: 'http-1',
        severity: 'major',
        origin: { via: 'http' },
      });
      expect(stored?.msg.headers?.get('Nats-Msg-Id')).toBe(body.id);
      expect(stored?.msg.headers?.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    });

    it('stores a re-send with the same producer id once', async () => {
      const first = (await (await post(JSON.stringify({ ...event, id: 'http-dup' }))).json()) as {
        id: string;
      };
      const second = await post(JSON.stringify({ ...event, id: 'http-dup' }));
      expect(second.status).toBe(202);
      expect(await second.json()).toMatchObject({ id: first.id, duplicate: true });
      expect((await accepted()).filter((a) => a.event.id === first.id)).toHaveLength(1);
    });

    it('answers 400 naming each bad field, and archives the refusal with the original bytes', async () => {
      const body = JSON.stringify({ ...event, severity: 'bogus', node: '' });
      const response = await post(body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as {
        message: string;
        errors: { field: string; reason: string }[];
      };
      expect(problem.errors.map((e) => e.field).sort()).toEqual(['node', 'severity']);
      expect(problem.message).toMatch(/^invalid event: /);
      expect(problem.message).toMatch(/severity: must be one of critical, major/);
      const archived = (await rejected()).find((r) => r.original === body);
      expect(archived).toMatchObject({ via: 'http', originalEncoding: 'utf8' });
      expect(archived?.reasons.map((r) => r.field).sort()).toEqual(['node', 'severity']);
    });

    it('answers 400 for a body that is not JSON, in the same shape', async () => {
      const response = await post('{"source": "demo",');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ field: '$', reason: expect.stringMatching(/not valid JSON/) }],
      });
    });

    it('refuses a body over the configured size', async () => {
      const response = await post(JSON.stringify({ ...event, attributes: { blob: 'x'.repeat(5000) } }));
      expect(response.status).toBe(413);
    });
  });

  describe('over NATS', () => {
    it('accepts a producer event from events.raw.<source>, taking the source from the subject', async () => {
      const { source: _source, ...withoutSource } = event;
      await publishRaw('shop', JSON.stringify({ ...withoutSource, node: 'nats-1' }), 'raw-1');
      const stored = await waitFor('the accepted event', async () =>
        (await accepted()).find((a) => a.event.node === 'nats-1'),
      );
      expect(stored.event).toMatchObject({
        source: 'shop',
        producerId: 'raw-1',
        origin: { via: 'nats', from: `${nats.prefix}.events.raw.shop` },
      });
    });

    it('archives an invalid event with its reasons and the subject, and keeps going', async () => {
      await publishRaw('shop', '{"node": 42}');
      await publishRaw('shop', JSON.stringify({ ...event, source: 'other', node: 'mismatch' }));
      await publishRaw('shop', JSON.stringify({ ...event, source: 'shop', node: 'after-bad-ones' }));
      await waitFor('the valid event after the bad ones', async () =>
        (await accepted()).find((a) => a.event.node === 'after-bad-ones'),
      );
      const refusals = (await rejected()).filter((r) => r.via === 'nats');
      expect(refusals).toHaveLength(2);
      expect(refusals[0]).toMatchObject({
        subject: `${nats.prefix}.events.raw.shop`,
        original: '{"node": 42}',
      });
      expect(refusals[0].reasons.map((r) => r.field)).toEqual(
        expect.arrayContaining(['node', 'type', 'severity']),
      );
      expect(refusals[1].reasons).toEqual([
        { field: 'source', reason: 'must match the subject\'s source "shop" (got "other")' },
      ]);
    });

    it('answers a request with the accepted id, or with the errors', async () => {
      const ask = async (body: unknown) => {
        const reply = await nats.client.connection.request(
          nats.client.space.exact(RpcSubjects.IngestSubmit),
          JSON.stringify(body),
          { timeout: 5000 },
        );
        return reply.json<RpcEnvelope<SubmitEventReplyV1>>();
      };
      expect(await ask({ ...event, node: 'rpc-1' })).toMatchObject({
        ok: true,
        data: { accepted: true, id: expect.any(String), duplicate: false },
      });
      expect(await ask({ ...event, severity: 9 })).toMatchObject({
        ok: true,
        data: { accepted: false, errors: [{ field: 'severity' }] },
      });
    });
  });
});
