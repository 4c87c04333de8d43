import { RejectedEventV1, StreamNames, Subjects } from '@vigil/contracts';
import { startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';

interface AlertItem {
  id: string;
  node: string;
  status: string;
  severity: string;
  tally: number;
}
interface Notification {
  kind: string;
  notificationId: string;
  alert: { id: string; status: string };
}

/**
 * The walking skeleton, end to end: five services as processes, a private database and subject
 * prefix, a real webhook receiver.
 */
describe('the pipeline, end to end', () => {
  let platform: TestPlatform;

  const alerts = async (query: string) => {
    const response = await fetch(`${platform.url('query')}/api/v1/alerts?${query}`);
    return ((await response.json()) as { items: AlertItem[] }).items;
  };
  const notifications = (alertId: string) =>
    platform.sink.requests.map((r) => r.json<Notification>()).filter((n) => n.alert.id === alertId);
  const publishRaw = (source: string, body: unknown) =>
    platform.nats.client.js.publish(
      platform.nats.client.space.subject(Subjects.EventsRaw, source),
      typeof body === 'string' ? body : JSON.stringify(body),
    );
  const postEvent = (body: unknown) =>
    fetch(`${platform.url('ingest')}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('turns an event over NATS and its duplicate over HTTP into one alert, notifies it, and resolves it', async () => {
    const diskFull = {
      source: 'e2e',
      node: 'web-1',
      type: 'DiskFull',
      summary: '/var 97% full',
      severity: 'major',
    };
    await publishRaw('e2e', diskFull);
    const [opened] = await waitFor('the alert in the query API', async () => {
      const found = await alerts('source=e2e&node=web-1');
      return found.length ? found : undefined;
    });
    expect(opened).toMatchObject({ status: 'open', severity: 'major', tally: 1 });

    const response = await postEvent({ ...diskFull, summary: '/var 98% full' });
    expect(response.status).toBe(202);
    await waitFor(
      'tally 2 after the duplicate',
      async () => (await alerts('source=e2e&node=web-1'))[0]?.tally === 2,
    );
    expect(await alerts('source=e2e&node=web-1')).toHaveLength(1);

    await waitFor('the opened webhook', () => notifications(opened.id).length === 1);
    expect(notifications(opened.id)[0]).toMatchObject({ kind: 'alert.opened', alert: { status: 'open' } });

    await publishRaw('e2e', { ...diskFull, severity: 'cleared', summary: '/var back to 60%' });
    await waitFor(
      'the alert resolved',
      async () => (await alerts('source=e2e&node=web-1'))[0]?.status === 'resolved',
    );
    await waitFor('the resolved webhook', () => notifications(opened.id).length === 2);
    expect(notifications(opened.id).map((n) => n.kind)).toEqual(['alert.opened', 'alert.resolved']);
  });

  it('refuses malformed events over NATS and HTTP with the reason, and the next valid event still flows', async () => {
    await publishRaw('e2e', '{"source": "e2e", "node": ');
    await publishRaw('e2e', {
      source: 'e2e',
      node: 'web-9',
      type: 'DiskFull',
      summary: 's',
      severity: 'bogus',
    });
    await publishRaw('e2e', {
      source: 'e2e',
      node: 'after-bad-nats',
      type: 'DiskFull',
      summary: 's',
      severity: 2,
    });

    const refused = await postEvent({
      source: 'e2e',
      node: 'web-9',
      type: 'DiskFull',
      summary: 's',
      severity: 'nope',
    });
    expect(refused.status).toBe(400);
    const problem = (await refused.json()) as {
      message: string;
      errors: { field: string; reason: string }[];
    };
    expect(problem.errors).toEqual([
      { field: 'severity', reason: expect.stringMatching(/must be one of critical/) },
    ]);
    const accepted = await postEvent({
      source: 'e2e',
      node: 'after-bad-http',
      type: 'DiskFull',
      summary: 's',
      severity: 'warn',
    });
    expect(accepted.status).toBe(202);

    await waitFor('both valid events as alerts', async () => {
      const nodes = (await alerts('source=e2e')).map((a) => a.node);
      return nodes.includes('after-bad-nats') && nodes.includes('after-bad-http');
    });
    const natsRefusals = (await platform.nats.readStream(StreamNames.EventsRejected))
      .map((m) => m.json<RejectedEventV1>())
      .filter((r) => r.via === 'nats');
    expect(natsRefusals).toHaveLength(2);
    expect(natsRefusals[0]).toMatchObject({
      original: '{"source": "e2e", "node": ',
      reasons: [{ field: '$', reason: expect.stringMatching(/not valid JSON/) }],
    });
    expect(natsRefusals[1].reasons).toEqual([
      { field: 'severity', reason: expect.stringMatching(/got "bogus"/) },
    ]);
  });
});
