import { ChannelConfigError, DeliveryError } from './channel-adapter';
import { EmailChannel, EmailChannelConfig } from './email.channel';
import { triggeredAlert } from './test/fixtures';
import { parseMail } from './test/mime';
import { closedPort, silentServer } from './test/network';
import { SmtpSink } from './test/smtp-sink';

const users = { vigil: 's3cret-passw0rd' };

describe('email channel (against a real SMTP server)', () => {
  const channel = new EmailChannel();
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await new SmtpSink({ users }).start();
  });
  afterAll(async () => {
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
  });

  const configFor = (overrides: Record<string, unknown> = {}): EmailChannelConfig =>
    channel.parseConfig({
      host: smtp.address.host,
      port: smtp.address.port,
      // smtp-server's built-in certificate is self-signed for localhost.
      tlsRejectUnauthorized: false,
      username: 'vigil',
      password: users.vigil,
      from: 'alerts@vigil.example.org',
      to: ['ada@example.org', 'ops@example.org'],
      timeoutMs: 3000,
      ...overrides,
    });

  it('sends text and HTML over STARTTLS after logging in, with the headers a mail client needs', async () => {
    const result = await channel.send(configFor(), triggeredAlert());
    expect(result).toEqual({
      ok: true,
      status: 250,
      messageId: expect.stringMatching(/^<.+@vigil\.example\.org>$/),
    });

    expect(smtp.messages).toHaveLength(1);
    const [received] = smtp.messages;
    expect(received).toMatchObject({
      from: 'alerts@vigil.example.org',
      to: ['ada@example.org', 'ops@example.org'],
      user: 'vigil',
      secure: true,
    });
    const mail = parseMail(received.raw);
    expect(mail.headers.get('from')).toBe('Vigil <alerts@vigil.example.org>');
    expect(mail.headers.get('to')).toBe('ada@example.org, ops@example.org');
    expect(mail.headers.get('subject')).toBe('[Vigil] [CRITICAL] /var 97% full');
    expect(mail.headers.get('message-id')).toBe(result.messageId);
    expect(mail.headers.get('references')).toBe(
      '<alert.0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11@vigil.example.org>',
    );
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-vigil-notification-id')).toBe('notif-7c1e2a90');
    expect(mail.headers.get('x-vigil-kind')).toBe('triggered');
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative; boundary=/);

    expect(mail.text).toBe(
      [
        '[CRITICAL] /var 97% full',
        '',
        'Filesystem /var on web-1 is 97% full (threshold 95%).',
        '',
        'Severity:  critical',
        'Status:    open',
        'Priority:  P1',
        'Node:      web-1',
        'Service:   checkout',
        'team: payments',
        'mount: /var',
        '',
        'Acknowledge: https://vigil.example.org/api/v1/actions/v1.ack-token.sig',
        'Resolve:     https://vigil.example.org/api/v1/actions/v1.resolve-token.sig',
        'Open:        https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
        '',
        '-- ',
        'Vigil · alert 0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11 · notification notif-7c1e2a90',
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<h2 style="margin: 0 0 8px">[CRITICAL] /var 97% full</h2>');
    expect(mail.html).toContain('<tr><th align="left">Node</th><td>web-1</td></tr>');
    expect(mail.html).toContain(
      '<a href="https://vigil.example.org/api/v1/actions/v1.ack-token.sig">Acknowledge</a>',
    );
  });

  it('HTML-escapes alert text in the HTML part and keeps the subject on one line', async () => {
    const notification = triggeredAlert();
    notification.subject = {
      ...notification.subject,
      title: 'disk <b>full</b>\r\nBcc: victim@example.org',
      summary: '<img src=x onerror=alert(1)> & more',
    };
    await channel.send(configFor(), notification);
    const mail = parseMail(smtp.messages[0].raw);
    expect(mail.headers.get('subject')).toBe('[Vigil] [CRITICAL] disk <b>full</b> Bcc: victim@example.org');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(smtp.messages[0].to).toEqual(['ada@example.org', 'ops@example.org']);
    expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; more');
    expect(mail.html).not.toContain('<img');
    expect(mail.text).toContain('<img src=x onerror=alert(1)> & more');
  });

  it('uses the configured templates', async () => {
    await channel.send(
      configFor({
        subjectTemplate: '{{upper subject.severity}} on {{subject.node}}',
        textTemplate: 'Hi {{recipient.name}}, {{subject.title}}',
        htmlTemplate: '<p>Hi {{recipient.name}}</p>',
      }),
      triggeredAlert(),
    );
    const mail = parseMail(smtp.messages[0].raw);
    expect([mail.headers.get('subject'), mail.text, mail.html]).toEqual([
      'CRITICAL on web-1',
      'Hi Ada, /var 97% full',
      '<p>Hi Ada</p>',
    ]);
  });

  it('maps SMTP replies: 4xx retryable, 5xx permanent, bad credentials permanent', async () => {
    smtp.refuseRecipients(451, 'Try again later');
    await expect(channel.send(configFor(), triggeredAlert())).rejects.toMatchObject({
      channel: 'email',
      reason: 'rejected',
      retryable: true,
      status: 451,
    });
    smtp.refuseRecipients(550, 'No such user');
    await expect(channel.send(configFor(), triggeredAlert())).rejects.toMatchObject({
      reason: 'rejected',
      retryable: false,
      status: 550,
    });
    await expect(channel.send(configFor({ password: 'wrong' }), triggeredAlert())).rejects.toMatchObject({
      retryable: false,
      status: 535,
    });
    expect(smtp.messages).toHaveLength(0);
  });

  it('is retryable when the server is down or silent', async () => {
    const port = await closedPort();
    await expect(channel.send(configFor({ port }), triggeredAlert())).rejects.toMatchObject({
      reason: 'connection',
      retryable: true,
    });
    const silent = await silentServer();
    try {
      const error = await channel
        .send(configFor({ port: silent.port, timeoutMs: 300 }), triggeredAlert())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    } finally {
      await silent.stop();
    }
  });

  it('will not send without TLS when STARTTLS is required, nor to an untrusted certificate by default', async () => {
    const plain = await new SmtpSink({ noStartTls: true }).start();
    try {
      await expect(
        channel.send(
          configFor({ port: plain.address.port, username: undefined, password: undefined }),
          triggeredAlert(),
        ),
      ).rejects.toMatchObject({ retryable: false });
      expect(plain.messages).toHaveLength(0);

      // A relay without TLS is allowed when configured so, and without credentials.
      const relay = configFor({
        port: plain.address.port,
        tls: 'none',
        username: undefined,
        password: undefined,
      });
      await expect(channel.send(relay, triggeredAlert())).resolves.toMatchObject({ ok: true });
      expect(plain.messages[0]).toMatchObject({ secure: false, user: undefined });
    } finally {
      await plain.stop();
    }
    // Certificate failures are connection errors: retried, in case the certificate is renewed.
    await expect(
      channel.send(configFor({ tlsRejectUnauthorized: true }), triggeredAlert()),
    ).rejects.toMatchObject({
      channel: 'email',
      reason: 'connection',
      message: expect.stringMatching(/certificate/),
    });
    expect(smtp.messages).toHaveLength(0);
  });

  it('refuses bad configuration, naming each field', () => {
    const fields = (input: Record<string, unknown>) => {
      try {
        channel.parseConfig(input);
        return [];
      } catch (error) {
        return (error as ChannelConfigError).errors.map((e) => `${e.field}: ${e.reason}`);
      }
    };
    const base = { host: 'smtp.example.org', from: 'alerts@example.org', to: ['ada@example.org'] };
    expect(fields(base)).toEqual([]);
    expect(channel.parseConfig(base)).toMatchObject({
      port: 587,
      tls: 'starttls',
      tlsRejectUnauthorized: true,
    });
    expect(fields({ ...base, tls: 'none', username: 'u', password: 'p' })).toEqual([
      'username: needs tls "starttls" or "implicit": credentials are not sent in clear text',
    ]);
    expect(fields({ ...base, username: 'u' })).toEqual(['password: must be a string']);
    expect(fields({ ...base, to: [], from: 'not-an-address' })).toEqual([
      'from: must be an email address',
      'to: must contain at least 1 elements',
    ]);
    expect(fields({ ...base, htmlTemplate: '<p>{{{subject.summary}}}</p>' })).toEqual([
      expect.stringMatching(/^htmlTemplate: is not a valid template: unescaped output/),
    ]);
    expect(fields({ ...base, fromName: 'Evil\r\nBcc: x@example.org' })).toEqual([
      'fromName: must be one line without <, > or quotes',
    ]);
    expect(channel.describe(channel.parseConfig({ ...base, username: 'u', password: 'hunter2' }))).toBe(
      'email smtp://smtp.example.org:587 to ada@example.org',
    );
  });
});
