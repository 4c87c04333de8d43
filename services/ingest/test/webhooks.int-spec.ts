import { AcceptedEventV1, RejectedEventV1, StreamNames } from '@vigil/contracts';
import { startTestService, TestService } from '@vigil/testing';
import { randomUUID } from 'node:crypto';
import { ingestService } from '../src/service';

interface ItemResult {
  index: number;
  status: number;
  id?: string;
  fingerprint?: string;
  duplicate?: boolean;
  errors?: { field: string; reason: string }[];
}
interface NotificationOutcome {
  accepted: number;
  duplicates: number;
  refused: number;
  results: ItemResult[];
}

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

/** A notification as Alertmanager 0.27 sends it, with fresh fingerprints so tests do not share alerts. */
interface AlertFixture {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

function alertmanagerNotification(): { alerts: AlertFixture[] } & Record<string, unknown> {
  return {
    receiver: 'vigil',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'HighLatency',
          instance: 'api-1:9100',
          job: 'api',
          severity: 'critical',
          env: 'prod',
        },
        annotations: {
          summary: 'p99 latency above 2s on api-1',
          runbook_url: 'https://runbooks.example.org/latency',
        },
        startsAt: '2025-01-31T11:58:00.123456789Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=latency',
        fingerprint: unique('f'),
      },
      {
        status: 'resolved',
        labels: { alertname: 'DiskFull', node: 'db-1', severity: 'warning' },
        annotations: { description: 'disk /var on db-1 is 97% full' },
        startsAt: '2025-01-31T10:00:00Z',
        endsAt: '2025-01-31T11:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=disk',
        fingerprint: unique('f'),
      },
    ],
    groupLabels: { job: 'api' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{job="api"}',
    truncatedAlerts: 0,
  };
}

/** PagerDuty's documented trigger, with a fresh dedup_key. */
function pagerDutyTrigger(dedupKey = unique('dedup')) {
  return {
    payload: {
      summary: 'Example alert on host1.example.com',
      timestamp: '2025-01-31T08:42:58.315+0000',
      source: 'host1.example.com',
      severity: 'error',
      component: 'postgres',
      group: 'prod-datapipe',
      class: 'deploy',
      custom_details: { 'ping time': '1500ms', 'load avg': 0.75 },
    },
    routing_key: 'samplekeyhere',
    dedup_key: dedupKey,
    links: [{ href: 'https://example.com/', text: 'Link text' }],
    event_action: 'trigger',
    client: 'Sample Monitoring Service',
    client_url: 'https://monitoring.example.com',
  };
}

describe('drop-in webhooks (real NATS and Postgres)', () => {
  let service: TestService;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const accepted = async () =>
    (await service.nats.readStream(StreamNames.EventsAccepted)).map((m) => m.json<AcceptedEventV1>());
  const rejected = async () =>
    (await service.nats.readStream(StreamNames.EventsRejected)).map((m) => m.json<RejectedEventV1>());
  const withFingerprint = async (fingerprint: string) =>
    (await accepted()).filter((event) => event.fingerprint === fingerprint);
  const archivedAs = async (original: string) => (await rejected()).filter((r) => r.original === original);

  beforeAll(async () => {
    service = await startTestService(ingestService, {
      INGEST_AUTH: 'off',
      SYSLOG_UDP_PORT: '-1',
      SYSLOG_TCP_PORT: '-1',
      INGEST_BATCH_MAX_EVENTS: '5',
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe('Alertmanager: POST /api/v1/alertmanager', () => {
    it('stores each alert as an event, mapped and marked as coming from Alertmanager', async () => {
      const body = alertmanagerNotification();
      const response = await post('/api/v1/alertmanager?source=prometheus', body);
      expect(response.status).toBe(200);
      const outcome = (await response.json()) as NotificationOutcome;
      expect(outcome).toMatchObject({ accepted: 2, duplicates: 0, refused: 0 });

      const stored = await accepted();
      const [firing, resolved] = outcome.results.map((r) => stored.find((event) => event.id === r.id));
      expect(firing).toMatchObject({
        source: 'prometheus',
        node: 'api-1',
        type: 'HighLatency',
        summary: 'p99 latency above 2s on api-1',
        severity: 'critical',
        occurredAt: '2025-01-31T11:58:00.123Z',
        environment: 'prod',
        fingerprint: `am:${body.alerts[0].fingerprint}`,
        labels: body.alerts[0].labels,
        attributes: { alertmanager: { receiver: 'vigil', annotations: body.alerts[0].annotations } },
        origin: { via: 'http', protocol: 'alertmanager' },
      });
      expect(resolved).toMatchObject({
        node: 'db-1',
        type: 'DiskFull',
        severity: 'cleared',
        occurredAt: '2025-01-31T11:00:00.000Z',
        fingerprint: `am:${body.alerts[1].fingerprint}`,
        origin: { via: 'http', protocol: 'alertmanager' },
      });
    });

    it("stores Alertmanager's repeat of a notification once", async () => {
      const body = alertmanagerNotification();
      const first = (await (await post('/api/v1/alertmanager', body)).json()) as NotificationOutcome;
      // Alertmanager moves a firing alert's endsAt forward with every notification.
      body.alerts[0].endsAt = '2025-01-31T12:10:00Z';
      const again = await post('/api/v1/alertmanager', body);
      expect(again.status).toBe(200);
      const repeat = (await again.json()) as NotificationOutcome;
      expect(repeat).toMatchObject({ accepted: 0, duplicates: 2, refused: 0 });
      expect(repeat.results.map((r) => r.id)).toEqual(first.results.map((r) => r.id));
      expect(await withFingerprint(`am:${body.alerts[0].fingerprint}`)).toHaveLength(1);
      expect((await withFingerprint(`am:${body.alerts[0].fingerprint}`))[0].source).toBe('alertmanager');
    });

    it('stores the good alerts of a notification with a bad one, and archives the bad one', async () => {
      const body = alertmanagerNotification();
      const bad = {
        ...body.alerts[0],
        fingerprint: unique('f'),
        labels: { job: 'api', severity: 'critical' },
      };
      body.alerts = [body.alerts[0], bad, body.alerts[1]];
      const response = await post('/api/v1/alertmanager', body);
      expect(response.status).toBe(200);
      const outcome = (await response.json()) as NotificationOutcome;
      expect(outcome).toMatchObject({ accepted: 2, duplicates: 0, refused: 1 });
      expect(outcome.results.map((r) => r.status)).toEqual([202, 400, 202]);
      expect(outcome.results[1].errors).toEqual([
        { field: 'alerts[1].labels.alertname', reason: expect.stringMatching(/^is required/) },
      ]);
      expect(await withFingerprint(`am:${body.alerts[0].fingerprint}`)).toHaveLength(1);
      expect(await withFingerprint(`am:${body.alerts[2].fingerprint}`)).toHaveLength(1);

      const archived = (await rejected()).find((r) => r.original.includes(bad.fingerprint));
      expect(archived).toMatchObject({
        via: 'http',
        protocol: 'alertmanager',
        reasons: [{ field: 'alerts[1].labels.alertname' }],
        originalEncoding: 'utf8',
      });
      // The archived original is a one-alert notification: it can be replayed once fixed.
      expect(JSON.parse(archived?.original ?? '{}')).toMatchObject({ version: '4', alerts: [bad] });
    });

    it('answers 400 naming the field for a body that is not a version 4 notification, and archives it', async () => {
      const body = JSON.stringify({ ...alertmanagerNotification(), version: '3' });
      const response = await post('/api/v1/alertmanager', body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { message: string; errors: { field: string }[] };
      expect(problem.message).toMatch(/^invalid Alertmanager notification: version: must be "4"/);
      expect(problem.errors.map((e) => e.field)).toEqual(['version']);
      expect(await archivedAs(body)).toEqual([
        expect.objectContaining({
          protocol: 'alertmanager',
          reasons: [expect.objectContaining({ field: 'version' })],
        }),
      ]);
    });

    it('answers 400 for a body that is not JSON, and archives it', async () => {
      const body = '{"version": "4", "alerts": [';
      const response = await post('/api/v1/alertmanager', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ field: '$', reason: expect.stringMatching(/not valid JSON/) }],
      });
      expect(await archivedAs(body)).toHaveLength(1);
    });

    it('answers 400 when every alert was refused, so Alertmanager reports the failure', async () => {
      const body = alertmanagerNotification();
      body.alerts = [{ ...body.alerts[0], startsAt: 'now' }];
      const response = await post('/api/v1/alertmanager', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        accepted: 0,
        refused: 1,
        results: [{ errors: [{ field: 'alerts[0].startsAt' }] }],
      });
    });

    it('answers 413 for more alerts than one request may carry, and archives the notification', async () => {
      const body = alertmanagerNotification();
      body.alerts = Array.from({ length: 6 }, () => ({ ...body.alerts[0], fingerprint: unique('f') }));
      const text = JSON.stringify(body);
      const response = await post('/api/v1/alertmanager', text);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { message: string }).message).toMatch(
        /alerts: has 6 alerts.*max_alerts/,
      );
      expect(await archivedAs(text)).toHaveLength(1);
    });
  });

  describe('PagerDuty: POST /v2/enqueue', () => {
    it('stores a trigger, answering as PagerDuty does', async () => {
      const body = pagerDutyTrigger();
      const response = await post('/v2/enqueue', body);
      expect(response.status).toBe(202);
      const answer = (await response.json()) as { id: string };
      expect(answer).toMatchObject({
        status: 'success',
        message: 'Event processed',
        dedup_key: body.dedup_key,
        stored: true,
        duplicate: false,
      });
      const [event] = await withFingerprint(`pd:${body.dedup_key}`);
      expect(event).toMatchObject({
        id: answer.id,
        source: 'pagerduty',
        node: 'host1.example.com',
        type: 'deploy',
        summary: 'Example alert on host1.example.com',
        severity: 'major',
        occurredAt: '2025-01-31T08:42:58.315Z',
        labels: { event_action: 'trigger', group: 'prod-datapipe', component: 'postgres' },
        attributes: {
          pagerduty: { custom_details: body.payload.custom_details, client: 'Sample Monitoring Service' },
        },
        origin: { via: 'http', protocol: 'pagerduty' },
      });
    });

    it('resolves what a trigger opened: two events on one fingerprint, the second cleared', async () => {
      const trigger = pagerDutyTrigger();
      expect((await post('/v2/enqueue?source=ops', trigger)).status).toBe(202);
      const resolve = { routing_key: 'samplekeyhere', dedup_key: trigger.dedup_key, event_action: 'resolve' };
      const response = await post('/v2/enqueue?source=ops', resolve);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({
        dedup_key: trigger.dedup_key,
        stored: true,
        duplicate: false,
      });
      const events = await withFingerprint(`pd:${trigger.dedup_key}`);
      expect(events.map((e) => [e.source, e.severity])).toEqual([
        ['ops', 'major'],
        ['ops', 'cleared'],
      ]);
    });

    it('stores a re-sent trigger once', async () => {
      const body = pagerDutyTrigger();
      const first = (await (await post('/v2/enqueue', body)).json()) as { id: string };
      const again = await post('/v2/enqueue', body);
      expect(again.status).toBe(202);
      expect(await again.json()).toMatchObject({ id: first.id, duplicate: true });
      expect(await withFingerprint(`pd:${body.dedup_key}`)).toHaveLength(1);
    });

    it('generates and returns a dedup_key for a trigger without one', async () => {
      const { dedup_key: _none, ...body } = pagerDutyTrigger();
      const answer = (await (await post('/v2/enqueue', body)).json()) as { dedup_key: string };
      expect(answer.dedup_key).toMatch(/^[0-9a-f-]{36}$/);
      expect(await withFingerprint(`pd:${answer.dedup_key}`)).toHaveLength(1);
    });

    // The acknowledge itself reaches the alert through the correlator's command: end to end in
    // e2e/src/ingest-paths.e2e-spec.ts. Here no correlator answers.
    it('answers an acknowledge 503 when the correlator cannot take the command, storing no event', async () => {
      const trigger = pagerDutyTrigger();
      await post('/v2/enqueue', trigger);
      const response = await post('/v2/enqueue', {
        routing_key: 'samplekeyhere',
        dedup_key: trigger.dedup_key,
        event_action: 'acknowledge',
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { message: string }).message).toMatch(
        /acknowledge not applied, retry later/,
      );
      expect(await withFingerprint(`pd:${trigger.dedup_key}`)).toHaveLength(1);
    });

    it.each([
      ['a trigger without payload', { routing_key: 'k', event_action: 'trigger', dedup_key: 'x' }, 'payload'],
      [
        'a severity PagerDuty does not know',
        { ...pagerDutyTrigger(), payload: { ...pagerDutyTrigger().payload, severity: 'high' } },
        'payload.severity',
      ],
      ['an unknown event_action', { ...pagerDutyTrigger(), event_action: 'escalate' }, 'event_action'],
      ['a resolve without dedup_key', { routing_key: 'k', event_action: 'resolve' }, 'dedup_key'],
      [
        'a summary over the limit',
        { ...pagerDutyTrigger(), payload: { ...pagerDutyTrigger().payload, summary: 's'.repeat(1025) } },
        'payload.summary',
      ],
    ])("answers 400 in PagerDuty's shape for %s, and archives it", async (_case, value, field) => {
      const body = JSON.stringify({ ...value, client: unique('client') });
      const response = await post('/v2/enqueue', body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { status: string; message: string; errors: string[] };
      expect(problem).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
      expect(problem.errors).toEqual([expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')} `))]);
      expect(await archivedAs(body)).toEqual([
        expect.objectContaining({
          via: 'http',
          protocol: 'pagerduty',
          reasons: [expect.objectContaining({ field })],
        }),
      ]);
    });
  });

  describe('Panther: POST /api/event/create and /api/event/queue', () => {
    it('creates an event, answering as Panther does', async () => {
      const node = unique('web');
      const response = await post('/api/event/create', {
        event: {
          node,
          summary: 'nginx: upstream timed out',
          severity: 4,
          tag: 'nginx',
          owner: 'ops',
          identifier: '{node}:{tag}',
        },
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { message: string; event: { id: string } };
      expect(answer).toMatchObject({
        status: 'Created',
        message: `Saved event: panther:${node}:nginx`,
        event: {
          node,
          identifier: `panther:${node}:nginx`,
          fingerprint: `panther:${node}:nginx`,
          duplicate: false,
        },
      });
      const event = (await accepted()).find((e) => e.id === answer.event.id);
      expect(event).toMatchObject({
        source: 'panther',
        node,
        type: 'nginx',
        summary: 'nginx: upstream timed out',
        severity: 'major',
        labels: { tag: 'nginx', owner: 'ops' },
        origin: { via: 'http', protocol: 'panther' },
      });
    });

    it('queues an event, which is stored before the answer', async () => {
      const node = unique('queued');
      const response = await post('/api/event/queue', { event: { node, summary: 'disk full' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'Queued' });
      expect((await accepted()).filter((e) => e.node === node)).toEqual([
        expect.objectContaining({
          severity: 'indeterminate',
          type: 'PantherEvent',
          origin: { via: 'http', protocol: 'panther', from: '127.0.0.1' },
        }),
      ]);
    });

    it.each([
      ['a forbidden field', { tally: '3' }, 'event.tally'],
      ['a field that is not a string', { owner: 7 }, 'event.owner'],
      ['a severity out of range', { severity: 6 }, 'event.severity'],
    ])("answers 400 in Panther's shape for %s, and archives it", async (_case, extra, field) => {
      const body = JSON.stringify({ event: { node: unique('bad'), summary: 's', ...extra } });
      const response = await post('/api/event/create', body);
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { error: { message: string }; errors: { field: string }[] };
      expect(problem.error.message).toContain(field);
      expect(problem.errors.map((e) => e.field)).toEqual([field]);
      expect(await archivedAs(body)).toEqual([
        expect.objectContaining({ protocol: 'panther', reasons: [expect.objectContaining({ field })] }),
      ]);
    });
  });

  it('documents each endpoint in the OpenAPI description', async () => {
    const response = await fetch(`${service.url}/api/docs/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<string, { post?: { tags?: string[]; summary?: string } }>;
    };
    const tagOf = (path: string) => document.paths[path]?.post?.tags;
    expect(tagOf('/api/v1/alertmanager')).toEqual(['alertmanager']);
    expect(tagOf('/v2/enqueue')).toEqual(['pagerduty']);
    expect(tagOf('/api/event/create')).toEqual(['panther']);
    expect(tagOf('/api/event/queue')).toEqual(['panther']);
  });
});

describe('Alertmanager behind a rate limit (real NATS and Postgres)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(ingestService, {
      INGEST_AUTH: 'off',
      SYSLOG_UDP_PORT: '-1',
      SYSLOG_TCP_PORT: '-1',
      INGEST_RATE_PER_SECOND: '1',
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('answers 503 instead of 429, because Alertmanager drops a notification answered 4xx', async () => {
    const send = () => {
      const body = alertmanagerNotification();
      body.alerts = [body.alerts[0]];
      return fetch(`${service.url}/api/v1/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    };
    // One event per second, and whatever burst is configured: sending quickly soon hits the limit.
    const statuses: number[] = [];
    let limited: Response | undefined;
    while (!limited && statuses.length < 50) {
      const response = await send();
      statuses.push(response.status);
      if (response.status !== 200) limited = response;
    }
    expect(statuses[0]).toBe(200);
    expect(limited?.status).toBe(503);
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited?.json()) as { message: string }).message).toMatch(/^rate limit of 1 events\/s/);
  });
});
