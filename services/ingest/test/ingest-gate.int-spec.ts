import { AcceptedEventV1, STREAMS, StreamNames } from '@vigil/contracts';
import { Provisioner } from '@vigil/messaging';
import { startTestService, TestService } from '@vigil/testing';
import { ingestService } from '../src/service';

const ADMIN_TOKEN = 'admin-token-for-this-test-run';
const event = (source: string, extra: Record<string, unknown> = {}) => ({
  source,
  node: 'web-1',
  type: 'DiskFull',
  summary: 'disk full',
  severity: 'major',
  ...extra,
});

interface CreatedKey {
  id: string;
  key: string;
  sources: string[];
}

describe('ingest gate: API keys, rate limits, back-pressure (real NATS and Postgres)', () => {
  let service: TestService;
  let base: string;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const admin = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
    fetch(`${base}/api/v1/admin/api-keys${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const createKey = async (request: Record<string, unknown>): Promise<CreatedKey> => {
    const response = await admin('POST', '', request);
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedKey;
  };
  const accepted = async () =>
    (await service.nats.readStream(StreamNames.EventsAccepted)).map((m) => m.json<AcceptedEventV1>());

  beforeAll(async () => {
    service = await startTestService(ingestService, {
      INGEST_AUTH: 'required',
      INGEST_ADMIN_TOKEN: ADMIN_TOKEN,
      INGEST_MAX_PENDING_PUBLISHES: '50',
      INGEST_BATCH_MAX_EVENTS: '100',
      SYSLOG_UDP_PORT: '-1',
      SYSLOG_TCP_PORT: '-1',
    });
    base = service.url;
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe('authentication', () => {
    it('answers 401 without a key, saying how to send one', async () => {
      const response = await post('/api/v1/events', event('shop'));
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(/Authorization: Bearer/);
    });

    it('answers 401 for a key that does not exist', async () => {
      const response = await post('/api/v1/events', event('shop'), {
        authorization: `Bearer vk_0123456789ab_${'x'.repeat(32)}`,
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(/not valid/);
    });

    it('accepts a key by bearer token or X-Api-Key, within its sources, and 403s other sources', async () => {
      const { key } = await createKey({ name: 'shop producer', sources: ['shop', 'shop-batch'] });
      expect(key).toMatch(/^vk_/);
      const viaBearer = await post('/api/v1/events', event('shop', { id: 'auth-1' }), {
        authorization: `Bearer ${key}`,
      });
      expect(viaBearer.status).toBe(202);
      const viaHeader = await post('/api/v1/events', event('shop-batch', { id: 'auth-2' }), {
        'x-api-key': key,
      });
      expect(viaHeader.status).toBe(202);

      const forbidden = await post('/api/v1/events', event('billing', { id: 'auth-3' }), {
        'x-api-key': key,
      });
      expect(forbidden.status).toBe(403);
      expect(await forbidden.json()).toMatchObject({
        message: expect.stringMatching(/may not send as "billing" \(allowed: shop, shop-batch\)/),
        errors: [{ field: 'source' }],
      });
      const stored = await accepted();
      expect(stored.filter((e) => e.producerId === 'auth-1' || e.producerId === 'auth-2')).toHaveLength(2);
      expect(stored.some((e) => e.producerId === 'auth-3')).toBe(false);
    });

    it('refuses per item in a batch: the allowed events are stored, the others answered 403', async () => {
      const { key } = await createKey({ name: 'batch', sources: ['shop'] });
      const response = await post(
        '/api/v1/events/batch',
        [event('shop', { id: 'b-1' }), event('billing', { id: 'b-2' }), event('shop', { severity: 'bogus' })],
        { 'x-api-key': key },
      );
      expect(response.status).toBe(207);
      const body = (await response.json()) as {
        accepted: number;
        refused: number;
        results: { status: number }[];
      };
      expect(body).toMatchObject({ accepted: 1, refused: 2 });
      expect(body.results.map((r) => r.status)).toEqual([202, 403, 400]);
    });

    it('stops accepting a revoked key at once', async () => {
      const { id, key } = await createKey({ name: 'short-lived', sources: ['shop'] });
      expect((await post('/api/v1/events', event('shop'), { 'x-api-key': key })).status).toBe(202);
      const revoked = await admin('DELETE', `/${id}`);
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toMatchObject({ id, revokedAt: expect.any(String) });
      expect((await post('/api/v1/events', event('shop'), { 'x-api-key': key })).status).toBe(401);
    });
  });

  describe('admin API', () => {
    it('needs the admin token', async () => {
      expect((await admin('GET', '', undefined, 'wrong-token-of-some-length')).status).toBe(401);
    });

    it('lists keys without their secrets, and hides revoked ones unless asked', async () => {
      const { id } = await createKey({ name: 'listed', sources: ['shop'] });
      const listed = (await (await admin('GET', '')).json()) as Record<string, unknown>[];
      const entry = listed.find((k) => k.id === id);
      expect(entry).toMatchObject({ name: 'listed', sources: ['shop'], revokedAt: null });
      expect(entry).not.toHaveProperty('key');
      expect(entry).not.toHaveProperty('secretHash');
      await admin('DELETE', `/${id}`);
      const active = (await (await admin('GET', '')).json()) as { id: string }[];
      expect(active.some((k) => k.id === id)).toBe(false);
      const all = (await (await admin('GET', '?includeRevoked=true')).json()) as { id: string }[];
      expect(all.some((k) => k.id === id)).toBe(true);
    });

    it('names each bad field of a create request', async () => {
      const response = await admin('POST', '', { name: '', sources: ['not a source'] });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { field: string }[] };
      expect(body.errors.map((e) => e.field).sort()).toEqual(['name', 'sources']);
    });

    it('answers 404 for revoking a key that does not exist', async () => {
      expect((await admin('DELETE', '/000000000000')).status).toBe(404);
    });
  });

  describe('limits', () => {
    it('answers 429 with Retry-After once a key has used its burst, and counts it', async () => {
      // 2 events/s with the default 5 s burst: 10 events at once, then nothing.
      const { key } = await createKey({ name: 'slow', sources: ['slow'], ratePerSecond: 2 });
      const batch = Array.from({ length: 10 }, (_, i) => event('slow', { id: `slow-${i}` }));
      expect((await post('/api/v1/events/batch', batch, { 'x-api-key': key })).status).toBe(202);
      const throttled = await post('/api/v1/events', event('slow', { id: 'slow-x' }), { 'x-api-key': key });
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await throttled.json()) as { message: string }).message).toMatch(/rate limit of 2 events\/s/);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/vigil_ingest_throttled_total\{via="http",reason="rate_limit"[^}]*\} [1-9]/);
    });

    it('answers 503 with Retry-After rather than queue more than JetStream can take', async () => {
      const { key } = await createKey({ name: 'big', sources: ['big'] });
      const batch = Array.from({ length: 60 }, (_, i) => event('big', { id: `big-${i}` }));
      const response = await post('/api/v1/events/batch', batch, { 'x-api-key': key });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect((await accepted()).some((e) => e.source === 'big')).toBe(false);
    });

    it('refuses an occurrence time far in the future, naming the field', async () => {
      const { key } = await createKey({ name: 'clock', sources: ['clock'] });
      const future = new Date(Date.now() + 3600_000).toISOString();
      const response = await post('/api/v1/events', event('clock', { occurredAt: future }), {
        'x-api-key': key,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ field: 'occurredAt', reason: expect.stringMatching(/in the future/) }],
      });
    });

    it('refuses a batch with more events than allowed, before storing any', async () => {
      const { key } = await createKey({ name: 'huge', sources: ['huge'] });
      const batch = Array.from({ length: 101 }, () => event('huge'));
      const response = await post('/api/v1/events/batch', batch, { 'x-api-key': key });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { message: string }).message).toMatch(/at most 100 events/);
    });
  });

  it('serves the OpenAPI document of every ingest endpoint', async () => {
    const response = await fetch(`${base}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/events', '/api/v1/events/batch', '/api/v1/admin/api-keys']),
    );
    expect((await fetch(`${base}/api/docs`)).status).toBe(200);
  });

  // Last: it removes the accepted stream, then restores it.
  it('answers 503 with Retry-After when JetStream cannot store the event, and stores nothing', async () => {
    const { key } = await createKey({ name: 'outage', sources: ['outage'] });
    const streamName = service.nats.client.space.stream(StreamNames.EventsAccepted);
    await service.nats.client.jsm.streams.delete(streamName);
    try {
      const response = await post('/api/v1/events', event('outage'), { 'x-api-key': key });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { message: string }).message).toMatch(/not stored, retry later/);
    } finally {
      await new Provisioner(service.nats.client).ensureStreams(STREAMS);
    }
    expect((await post('/api/v1/events', event('outage'), { 'x-api-key': key })).status).toBe(202);
  });
});
