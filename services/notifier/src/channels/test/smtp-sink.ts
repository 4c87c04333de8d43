import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  from: string | undefined;
  to: string[];
  user: string | undefined;
  /** Whether the session ran over TLS (STARTTLS or implicit). */
  secure: boolean;
}

export interface SmtpSinkOptions {
  /** Accounts that may log in; without any, the server takes mail without authentication. */
  users?: Record<string, string>;
  /** No STARTTLS, as a server without TLS (hiding it is not enough: clients that require TLS try anyway). */
  noStartTls?: boolean;
}

/** A real SMTP server (the smtp-server package) on a free local port, keeping what it receives. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private rcptRefusal?: { code: number; message: string };
  private readonly server: SMTPServer;
  private port = 0;

  constructor(options: SmtpSinkOptions = {}) {
    const users = options.users ?? {};
    const authRequired = Object.keys(users).length > 0;
    this.server = new SMTPServer({
      // STARTTLS with smtp-server's built-in self-signed localhost certificate.
      disabledCommands: options.noStartTls ? ['STARTTLS'] : [],
      authOptional: !authRequired,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username && users[auth.username] === auth.password)
          return callback(null, { user: auth.username });
        const refusal = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
        return callback(refusal);
      },
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (!this.rcptRefusal) return callback();
        const { code, message } = this.rcptRefusal;
        return callback(Object.assign(new Error(`${message} <${address.address}>`), { responseCode: code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelopeFrom = session.envelope.mailFrom;
          this.messages.push({
            raw: Buffer.concat(chunks).toString('utf8'),
            from: envelopeFrom ? envelopeFrom.address : undefined,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            secure: session.secure,
          });
          callback();
        });
      },
    });
  }

  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Every later recipient is refused with this SMTP reply. */
  refuseRecipients(code: number, message: string): void {
    this.rcptRefusal = { code, message };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
