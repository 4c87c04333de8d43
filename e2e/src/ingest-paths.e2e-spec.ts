import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Subjects } from '@vigil/contracts';
import { workspaceRoot } from '@vigil/launcher';
import { startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';

const run = promisify(execFile);

interface AlertItem {
  id: string;
  node: string;
  type: string;
  status: string;
  severity: string;
  tally: number;
  source: string;
}

/**
 * Every producer path, as producers use it, through the five services as processes to an alert in
 * the query API: API keys made with the `vigil` command, HTTP single and batch, NATS, CloudEvents over
 * NATS and HTTP, Alertmanager, PagerDuty, Panther, syslog over UDP and TCP, and a replay after a fix.
 */
describe('every ingest path, end to end', () => {
  let platform: TestPlatform;
  let apiKey: string;

  const vigil = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [join(workspaceRoot(), 'bin', 'vigil.js'), ...args], {
      env: {
        ...process.env,
        DATABASE_URL: platform.database.url,
        NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
        VIGIL_SUBJECT_PREFIX: platform.nats.prefix,
        LOG_LEVEL: 'warn',
      },
    });
    return stdout;
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.url('ingest')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const alertsOf = async (source: string): Promise<AlertItem[]> => {
    const response = await fetch(`${platform.url('query')}/api/v1/alerts?source=${source}`);
    return ((await response.json()) as { items: AlertItem[] }).items;
  };
  const alertOn = (source: string, node: string, status = 'open') =>
    waitFor(`a ${status} alert for ${source}/${node} in the query API`, async () =>
      (await alertsOf(source)).find((a) => a.node === node && a.status === status),
    );

  beforeAll(async () => {
    platform = await startTestPlatform({ env: { ingest: { INGEST_AUTH: 'required' } } });
    const created = JSON.parse(
      await vigil(
        'apikey',
        'create',
        '--name',
        'e2e producers',
        ...['web', 'batch', 'ce', 'alertmanager', 'pagerduty', 'panther'].flatMap((s) => ['--source', s]),
        '--json',
      ),
    ) as { key: string };
    apiKey = created.key;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('lists the key made by `vigil apikey create`, and refuses HTTP without it', async () => {
    expect(await vigil('apikey', 'list')).toMatch(/e2e producers\s+sources: web,batch,ce/);
    const anonymous = await fetch(`${platform.url('ingest')}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'web', node: 'n', type: 't', summary: 's', severity: 'major' }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('HTTP: one event, re-sent with the same id, is one alert with one occurrence', async () => {
    const event = {
      id: 'web-1',
      source: 'web',
      node: 'web-1',
      type: 'DiskFull',
      summary: 'full',
      severity: 'major',
    };
    expect((await post('/api/v1/events', event)).status).toBe(202);
    expect(await (await post('/api/v1/events', event)).json()).toMatchObject({ duplicate: true });
    const alert = await alertOn('web', 'web-1');
    const detail = (await (await fetch(`${platform.url('query')}/api/v1/alerts/${alert.id}`)).json()) as {
      tally: number;
      occurrences: unknown[];
    };
    expect(detail.tally).toBe(1);
    expect(detail.occurrences).toHaveLength(1);
  });

  it('HTTP batch: the valid events become alerts, the invalid one is answered per item', async () => {
    const response = await post('/api/v1/events/batch', [
      { source: 'batch', node: 'b-1', type: 'JobFailed', summary: 'nightly failed', severity: 'minor' },
      { source: 'batch', node: 'b-2', type: 'JobFailed', summary: 'nightly failed', severity: 'nope' },
      { source: 'batch', node: 'b-3', type: 'JobFailed', summary: 'nightly failed', severity: 'critical' },
    ]);
    expect(response.status).toBe(207);
    expect(
      ((await response.json()) as { results: { status: number }[] }).results.map((r) => r.status),
    ).toEqual([202, 400, 202]);
    await alertOn('batch', 'b-1');
    await alertOn('batch', 'b-3');
  });

  it('CloudEvents: structured over NATS, binary over NATS, structured and binary over HTTP', async () => {
    const subject = platform.nats.client.space.subject(Subjects.EventsRaw, 'ce');
    const data = { node: 'ce-nats-1', summary: 'queue depth high', severity: 'warning' };
    const structuredHeaders = natsHeaders();
    structuredHeaders.set('content-type', 'application/cloudevents+json');
    await platform.nats.client.js.publish(
      subject,
      JSON.stringify({ specversion: '1.0', id: 'ce-1', source: '/shop/queue', type: 'QueueDepthHigh', data }),
      { headers: structuredHeaders },
    );
    const binary = natsHeaders();
    binary.set('ce-specversion', '1.0');
    binary.set('ce-id', 'ce-2');
    binary.set('ce-source', '/shop/queue');
    binary.set('ce-type', 'QueueDepthHigh');
    binary.set('content-type', 'application/json');
    await platform.nats.client.js.publish(subject, JSON.stringify({ ...data, node: 'ce-nats-2' }), {
      headers: binary,
    });
    const structured = await post(
      '/api/v1/cloudevents?source=ce',
      {
        specversion: '1.0',
        id: 'ce-3',
        source: '/shop/queue',
        type: 'QueueDepthHigh',
        data: { ...data, node: 'ce-http-1' },
      },
      { 'content-type': 'application/cloudevents+json' },
    );
    expect(structured.status).toBe(202);
    const binaryHttp = await post(
      '/api/v1/cloudevents?source=ce',
      { ...data, node: 'ce-http-2' },
      { 'ce-specversion': '1.0', 'ce-id': 'ce-4', 'ce-source': '/shop/queue', 'ce-type': 'QueueDepthHigh' },
    );
    expect(binaryHttp.status).toBe(202);
    for (const node of ['ce-nats-1', 'ce-nats-2', 'ce-http-1', 'ce-http-2']) await alertOn('ce', node);
  });

  it('Alertmanager: a firing alert opens, its resolved notification resolves', async () => {
    const alert = {
      status: 'firing',
      labels: { alertname: 'HostDown', instance: 'db-1:9100', severity: 'critical', job: 'node' },
      annotations: { summary: 'db-1 is down' },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: 'c0ffee0123456789',
    };
    const webhook = (alerts: unknown[], status: string) => ({
      version: '4',
      groupKey: '{}:{alertname="HostDown"}',
      truncatedAlerts: 0,
      status,
      receiver: 'vigil',
      groupLabels: { alertname: 'HostDown' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager',
      alerts,
    });
    expect((await post('/api/v1/alertmanager', webhook([alert], 'firing'))).status).toBeLessThan(300);
    const opened = await waitFor('the Alertmanager alert', async () => (await alertsOf('alertmanager'))[0]);
    expect(opened).toMatchObject({ type: 'HostDown', severity: 'critical', status: 'open' });
    const resolved = { ...alert, status: 'resolved', endsAt: new Date().toISOString() };
    expect((await post('/api/v1/alertmanager', webhook([resolved], 'resolved'))).status).toBeLessThan(300);
    await alertOn('alertmanager', opened.node, 'resolved');
  });

  it('PagerDuty Events v2: trigger opens, resolve with the same dedup_key resolves', async () => {
    const trigger = {
      routing_key: apiKey,
      event_action: 'trigger',
      dedup_key: 'pd-e2e-1',
      payload: {
        summary: 'checkout error rate 12%',
        source: 'checkout-1',
        severity: 'error',
        class: 'ErrorRate',
      },
    };
    const triggered = await post('/v2/enqueue?source=pagerduty', trigger, { authorization: '' });
    expect(triggered.status).toBe(202);
    expect(await triggered.json()).toMatchObject({ status: 'success', dedup_key: 'pd-e2e-1' });
    expect(await alertOn('pagerduty', 'checkout-1')).toMatchObject({ severity: 'major' });
    // Acknowledge: the correlator's acknowledge command, not an event.
    const acknowledge = { routing_key: apiKey, event_action: 'acknowledge', dedup_key: 'pd-e2e-1' };
    const acknowledged = await post('/v2/enqueue?source=pagerduty', acknowledge, { authorization: '' });
    expect(acknowledged.status).toBe(202);
    expect(await acknowledged.json()).toMatchObject({ status: 'success', stored: true });
    await alertOn('pagerduty', 'checkout-1', 'acknowledged');
    // A re-send changes nothing; an acknowledge for a dedup_key with no alert is answered and ignored.
    expect(
      await (await post('/v2/enqueue?source=pagerduty', acknowledge, { authorization: '' })).json(),
    ).toMatchObject({
      stored: false,
    });
    const unknown = { ...acknowledge, dedup_key: 'pd-e2e-unknown' };
    const ignored = await post('/v2/enqueue?source=pagerduty', unknown, { authorization: '' });
    expect(ignored.status).toBe(202);
    expect(await ignored.json()).toMatchObject({ stored: false });
    const resolve = { routing_key: apiKey, event_action: 'resolve', dedup_key: 'pd-e2e-1' };
    expect((await post('/v2/enqueue?source=pagerduty', resolve, { authorization: '' })).status).toBe(202);
    await alertOn('pagerduty', 'checkout-1', 'resolved');
  });

  it("Panther: the console's event API shape", async () => {
    const response = await post(
      '/api/event/create?source=panther',
      {
        event: {
          node: 'ups-3',
          summary: 'UPS on battery',
          severity: 4,
          tag: 'ups',
          identifier: 'ups-3:battery',
        },
      },
      { authorization: '', 'x-api-token': apiKey },
    );
    expect(response.status).toBe(200);
    expect(await alertOn('panther', 'ups-3')).toMatchObject({ severity: 'major' });
  });

  it('syslog: RFC 5424 over UDP, RFC 3164 over TCP with both framings', async () => {
    const udp = createSocket('udp4');
    const line5424 =
      '<131>1 2026-11-21T10:00:00.000Z fw-1 kernel - LINK_DOWN [origin@32473 ifname="eth0"] eth0 link down';
    await new Promise<void>((resolve, reject) =>
      udp.send(line5424, platform.syslogPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
    udp.close();
    const tcp = connect({ host: '127.0.0.1', port: platform.syslogPort });
    await new Promise<void>((resolve) => tcp.once('connect', resolve));
    const line3164 = '<11>Nov 21 10:00:01 app-7 cron[311]: job backup failed';
    const framed = `<12>Nov 21 10:00:02 app-8 ntpd[9]: clock unsynchronised`;
    tcp.write(`${Buffer.byteLength(line3164)} ${line3164}`);
    tcp.write(`${framed}\n`);
    await new Promise<void>((resolve) => tcp.end(resolve));
    for (const node of ['fw-1', 'app-7', 'app-8']) await alertOn('syslog', node);
  });

  it('replays a refused event after the fix, and it becomes an alert', async () => {
    // The producer's clock is an hour ahead: refused, archived with its reason.
    const ahead = new Date(Date.now() + 3600_000).toISOString();
    const event = {
      id: 'late-1',
      source: 'web',
      node: 'clock-1',
      type: 'T',
      summary: 's',
      severity: 'minor',
      occurredAt: ahead,
    };
    expect((await post('/api/v1/events', event)).status).toBe(400);
    // The fix: this deployment tolerates producers two hours ahead.
    const ingest = platform.services.ingest;
    await ingest.stop();
    ingest.options.env.INGEST_MAX_FUTURE_SECONDS = '7200';
    ingest.start();
    await ingest.waitUntilReady();
    const output = await vigil('replay', '--from', 'rejected', '--source', 'web');
    expect(output).toMatch(/replayed [1-9]/);
    await alertOn('web', 'clock-1');
  });
});
