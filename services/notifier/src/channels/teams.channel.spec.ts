import { HttpSink } from '@vigil/testing';
import { ChannelHttpClient } from './http-delivery';
import { TeamsChannel, TeamsChannelConfig, TeamsMessage } from './teams.channel';
import { triggeredAlert } from './test/fixtures';

describe('teams channel (against a real HTTP receiver)', () => {
  let sink: HttpSink;
  let http: ChannelHttpClient;
  let channel: TeamsChannel;
  let config: TeamsChannelConfig;

  beforeAll(async () => {
    sink = await new HttpSink().start();
    http = new ChannelHttpClient();
    channel = new TeamsChannel(http);
  });
  afterAll(async () => {
    await http.close();
    await sink.stop();
  });
  beforeEach(() => {
    sink.requests.length = 0;
    // A Workflows webhook accepts with 202 and an empty body.
    sink.answerWith({ status: 202, body: '' });
    config = channel.parseConfig({
      url: `${sink.url}/workflows/abc/triggers/manual/paths/invoke?sig=SECRET`,
    });
  });

  it('posts an Adaptive Card 1.4 in the message wrapper, with facts and OpenUrl actions', async () => {
    await expect(channel.send(config, triggeredAlert())).resolves.toEqual({ ok: true, status: 202 });
    const [received] = sink.requests;
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.json<TeamsMessage>()).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            msteams: { width: 'Full' },
            body: [
              {
                type: 'TextBlock',
                text: '[CRITICAL] /var 97% full',
                wrap: true,
                size: 'Large',
                weight: 'Bolder',
                color: 'Attention',
              },
              {
                type: 'TextBlock',
                text: 'Filesystem /var on web-1 is 97% full (threshold 95%).',
                wrap: true,
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Severity', value: 'critical' },
                  { title: 'Status', value: 'open' },
                  { title: 'Priority', value: 'P1' },
                  { title: 'Node', value: 'web-1' },
                  { title: 'Service', value: 'checkout' },
                  { title: 'Environment', value: 'prod' },
                  { title: 'Occurrences', value: '3' },
                  { title: 'team', value: 'payments' },
                  { title: 'mount', value: '/var' },
                ],
              },
            ],
            actions: [
              {
                type: 'Action.OpenUrl',
                title: 'Acknowledge',
                url: 'https://vigil.example.org/api/v1/actions/v1.ack-token.sig',
              },
              {
                type: 'Action.OpenUrl',
                title: 'Resolve',
                url: 'https://vigil.example.org/api/v1/actions/v1.resolve-token.sig',
              },
              {
                type: 'Action.OpenUrl',
                title: 'Open alert',
                url: 'https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
              },
            ],
          },
        },
      ],
    });
  });

  it('colours a resolution as good', async () => {
    await channel.send(config, triggeredAlert({ kind: 'resolved', links: {} }));
    const card = sink.requests[0].json<TeamsMessage>().attachments[0].content;
    expect(card.body[0]).toMatchObject({ text: 'Resolved: /var 97% full', color: 'Good' });
    expect(card.actions).toEqual([]);
  });

  it("reads a legacy connector's throttling, a 200 that says 429, as retryable", async () => {
    sink.answerWith({
      status: 200,
      body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId ...',
    });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      channel: 'teams',
      reason: 'rate_limited',
      retryable: true,
      status: 429,
    });
    sink.answerWith({ status: 200, body: '1' });
    await expect(channel.send(config, triggeredAlert())).resolves.toEqual({ ok: true, status: 200 });
  });

  it('maps refusals: 400 permanent, 429 and 502 retryable', async () => {
    sink.failNext(1, 400, { body: '{"error":{"code":"InvalidRequestContent"}}' });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      retryable: false,
      status: 400,
    });
    sink.failNext(1, 429, { headers: { 'retry-after': '2' } });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    });
    sink.failNext(1, 502);
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      retryable: true,
      status: 502,
    });
    expect(channel.describe(config)).toBe(`teams ${sink.url}/…`);
  });
});
