import { HttpSink } from '@vigil/testing';
import { ChannelHttpClient } from './http-delivery';
import { SlackChannel, SlackChannelConfig, SlackMessage } from './slack.channel';
import { triggeredAlert } from './test/fixtures';

describe('slack channel (against a real HTTP receiver)', () => {
  let sink: HttpSink;
  let http: ChannelHttpClient;
  let channel: SlackChannel;
  let config: SlackChannelConfig;

  beforeAll(async () => {
    sink = await new HttpSink().start();
    // What hooks.slack.com answers.
    sink.answerWith({ status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' });
    http = new ChannelHttpClient();
    channel = new SlackChannel(http);
  });
  afterAll(async () => {
    await http.close();
    await sink.stop();
  });
  beforeEach(() => {
    sink.requests.length = 0;
    config = channel.parseConfig({ url: `${sink.url}/services/T000/B000/XXXXSECRET` });
  });

  it('posts a Block Kit message with the text fallback, fields and URL buttons', async () => {
    await expect(channel.send(config, triggeredAlert())).resolves.toEqual({ ok: true, status: 200 });
    const [received] = sink.requests;
    expect(received.path).toBe('/services/T000/B000/XXXXSECRET');
    expect(received.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(received.json<SlackMessage>()).toEqual({
      text: '[CRITICAL] /var 97% full on web-1',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[CRITICAL] /var 97% full', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Filesystem /var on web-1 is 97% full (threshold 95%).' },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Severity*\ncritical' },
            { type: 'mrkdwn', text: '*Status*\nopen' },
            { type: 'mrkdwn', text: '*Priority*\nP1' },
            { type: 'mrkdwn', text: '*Node*\nweb-1' },
            { type: 'mrkdwn', text: '*Service*\ncheckout' },
            { type: 'mrkdwn', text: '*Environment*\nprod' },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'alert `0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11` · 3 occurrence(s) · 2026-05-01T12:00:00.000Z',
            },
          ],
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'vigil_acknowledge',
              text: { type: 'plain_text', text: 'Acknowledge' },
              url: 'https://vigil.example.org/api/v1/actions/v1.ack-token.sig',
              style: 'primary',
            },
            {
              type: 'button',
              action_id: 'vigil_resolve',
              text: { type: 'plain_text', text: 'Resolve' },
              url: 'https://vigil.example.org/api/v1/actions/v1.resolve-token.sig',
            },
            {
              type: 'button',
              action_id: 'vigil_open',
              text: { type: 'plain_text', text: 'Open alert' },
              url: 'https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
            },
          ],
        },
      ],
    });
  });

  it("keeps within Block Kit's limits and escapes what Slack would interpret", async () => {
    const notification = triggeredAlert({ kind: 'resolved', actor: 'ada', links: {} });
    notification.subject = {
      ...notification.subject,
      title: 'x'.repeat(400),
      summary: '<!channel> look: <https://evil.example|here> & there',
      node: 'web-<1>',
    };
    await channel.send(config, notification);
    const { blocks, text } = sink.requests[0].json<SlackMessage>();
    const header = blocks[0];
    expect(header.type === 'header' && Array.from(header.text.text)).toHaveLength(150);
    expect(blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '&lt;!channel&gt; look: &lt;https://evil.example|here&gt; &amp; there\n_Resolved by ada._',
      },
    });
    expect(blocks[2]).toMatchObject({
      fields: expect.arrayContaining([{ type: 'mrkdwn', text: '*Node*\nweb-&lt;1&gt;' }]),
    });
    // No links, no buttons: Slack refuses an empty actions block.
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(text.startsWith('Resolved: xxx')).toBe(true);
  });

  it('leaves out a section whose template renders empty', async () => {
    await channel.send(
      { ...config, bodyTemplate: '{{#if actor}}{{actor}}{{/if}}', contextTemplate: '' },
      triggeredAlert(),
    );
    expect(sink.requests[0].json<SlackMessage>().blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'actions',
    ]);
  });

  it("maps Slack's rate limit (429 + Retry-After) to retryable, and its 4xx words to permanent", async () => {
    sink.failNext(1, 429, { headers: { 'retry-after': '30' }, body: 'rate_limited' });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      channel: 'slack',
      reason: 'rate_limited',
      retryable: true,
      retryAfterMs: 30_000,
    });
    sink.failNext(1, 400, { body: 'invalid_blocks' });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      reason: 'rejected',
      retryable: false,
      status: 400,
      message: 'slack: receiver answered 400: invalid_blocks',
    });
    sink.failNext(1, 404, { body: 'no_service' });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      retryable: false,
      status: 404,
    });
    sink.failNext(1, 500);
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      retryable: true,
      status: 500,
    });
  });

  it('never shows the webhook URL, which is the credential', () => {
    expect(channel.describe(config)).toBe(`slack ${sink.url}/…`);
  });
});
