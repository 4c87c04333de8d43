import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import { AcceptedEventV1, RejectedEventV1, StreamNames } from '@vigil/contracts';
import { startTestService, TestService, waitFor } from '@vigil/testing';
import { SyslogListeners } from '../src/protocols/syslog/syslog.listeners';
import { ingestService } from '../src/service';

const HOST = '127.0.0.1';
const MAX_EVENT_BYTES = 2048;
const syslogEnv = {
  INGEST_AUTH: 'off',
  INGEST_MAX_EVENT_BYTES: String(MAX_EVENT_BYTES),
  SYSLOG_HOST: HOST,
  SYSLOG_UDP_PORT: '0',
  SYSLOG_TCP_PORT: '0',
};

/** `Jun  3 08:15:01`: RFC 3164's timestamp, in UTC as ingest reads it. */
function bsdTimestamp(date: Date): string {
  const month = date.toUTCString().slice(8, 11);
  const day = String(date.getUTCDate()).padStart(2, ' ');
  return `${month} ${day} ${date.toISOString().slice(11, 19)}`;
}

const octetCounted = (message: string) => `${Buffer.byteLength(message)} ${message}`;

/** Opens a TCP connection to the listener, resolving once it is established. */
async function connectTcp(port: number): Promise<Socket> {
  const socket = connect(port, HOST);
  await once(socket, 'connect');
  socket.resume(); // the server never writes, but its end must be read for 'close'
  return socket;
}

/** Sends over one TCP connection and closes it; resolves with the client's port once closed. */
async function sendTcp(port: number, data: string): Promise<number> {
  const socket = await connectTcp(port);
  const clientPort = socket.localPort;
  socket.end(data);
  await once(socket, 'close');
  return clientPort ?? 0;
}

/** Sends each line as one datagram from one socket; resolves with its port. */
async function sendUdp(port: number, lines: string[]): Promise<number> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    for (const line of lines) {
      await new Promise<void>((resolve, reject) =>
        socket.send(line, port, HOST, (error) => (error ? reject(error) : resolve())),
      );
    }
    return socket.address().port;
  } finally {
    socket.close();
  }
}

describe('syslog ingest (real NATS and Postgres)', () => {
  let service: TestService;
  let udpPort: number;
  let tcpPort: number;

  const accepted = async () =>
    (await service.nats.readStream(StreamNames.EventsAccepted)).map((m) => m.json<AcceptedEventV1>());
  const rejected = async () =>
    (await service.nats.readStream(StreamNames.EventsRejected)).map((m) => m.json<RejectedEventV1>());
  const acceptedFrom = (node: string) =>
    waitFor(`the event from ${node}`, async () => (await accepted()).find((e) => e.node === node));
  const rejectedWith = (original: (text: string) => boolean) =>
    waitFor('the rejection', async () => (await rejected()).find((r) => original(r.original)));

  beforeAll(async () => {
    service = await startTestService(ingestService, syslogEnv);
    const ports = service.app.get(SyslogListeners).ports;
    if (ports.udpPort === undefined || ports.tcpPort === undefined) throw new Error('syslog not listening');
    ({ udpPort, tcpPort } = ports);
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe('over UDP', () => {
    it('accepts an RFC 5424 message, structured data as labels', async () => {
      const from = await sendUdp(udpPort, [
        String.raw`<165>1 2024-05-02T10:11:12.123+02:00 udp-5424.example.com evntslog 42 ID47 [exampleSDID@32473 iut="3" eventSource="App \"x\" \]"] An application event`,
      ]);
      const event = await acceptedFrom('udp-5424.example.com');
      expect(event).toMatchObject({
        source: 'syslog',
        type: 'evntslog/ID47',
        summary: 'An application event',
        severity: 'indeterminate',
        occurredAt: '2024-05-02T08:11:12.123Z',
        labels: {
          facility: 'local4',
          appName: 'evntslog',
          msgId: 'ID47',
          'exampleSDID_32473.iut': '3',
          'exampleSDID_32473.eventSource': 'App "x" ]',
        },
        attributes: { syslog: { format: 'rfc5424', procId: '42' } },
        origin: { via: 'syslog', protocol: 'syslog', from: `${HOST}:${from}` },
      });
    });

    it('accepts an RFC 3164 message, its time read as UTC this year', async () => {
      const sent = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      const from = await sendUdp(udpPort, [
        `<35>${bsdTimestamp(sent)} udp-3164 sshd[4242]: Failed password for root from 192.0.2.9\n`,
      ]);
      const event = await acceptedFrom('udp-3164');
      expect(event).toMatchObject({
        source: 'syslog',
        type: 'sshd',
        summary: 'Failed password for root from 192.0.2.9',
        severity: 'major',
        occurredAt: sent.toISOString(),
        labels: { facility: 'auth', appName: 'sshd' },
        attributes: { syslog: { format: 'rfc3164', procId: '4242' } },
        origin: { via: 'syslog', protocol: 'syslog', from: `${HOST}:${from}` },
      });
      expect(event.labels).not.toHaveProperty('procId');
    });
  });

  describe('over TCP', () => {
    it('accepts octet-counted and newline-framed messages from one connection, in order', async () => {
      const lines = [
        octetCounted('<11>1 2024-05-02T08:00:00Z tcp-a app - - - first, octet-counted\nover two lines'),
        octetCounted('<12>1 - - app - - - second, octet-counted, no host'),
        '<13>May  2 08:00:02 tcp-c app: third, LF\n',
        '<14>May  2 08:00:03 tcp-d app: fourth, CRLF\r\n',
      ];
      const from = await sendTcp(tcpPort, lines.join(''));
      await acceptedFrom('tcp-d');
      const ours = (await accepted()).filter((e) => e.origin.from === `${HOST}:${from}`);
      expect(ours.map((e) => [e.node, e.summary, e.severity])).toEqual([
        ['tcp-a', 'first, octet-counted\nover two lines', 'major'],
        [HOST, 'second, octet-counted, no host', 'warning'],
        ['tcp-c', 'third, LF', 'indeterminate'],
        ['tcp-d', 'fourth, CRLF', 'indeterminate'],
      ]);
      expect(ours[0]).toMatchObject({ origin: { via: 'syslog', protocol: 'syslog' } });
    });

    it('archives an unparseable line with the reason, and accepts the line after it', async () => {
      const garbage = `not syslog at all ${Date.now()}`;
      await sendTcp(tcpPort, `${garbage}\n<13>1 - tcp-after-garbage app - - - still here\n`);
      expect(await acceptedFrom('tcp-after-garbage')).toMatchObject({ summary: 'still here' });
      const rejection = await rejectedWith((original) => original === garbage);
      expect(rejection).toMatchObject({
        via: 'syslog',
        protocol: 'syslog',
        originalEncoding: 'utf8',
        reasons: [{ field: '$', reason: expect.stringMatching(/must start with a PRI/) }],
      });
    });

    it('archives a line over INGEST_MAX_EVENT_BYTES cut to the limit, and accepts the line after it', async () => {
      const long = `<13>1 - tcp-long app - - - ${'y'.repeat(3 * MAX_EVENT_BYTES)}`;
      await sendTcp(tcpPort, `${long}\n<13>1 - tcp-after-long app - - - after the long one\n`);
      await acceptedFrom('tcp-after-long');
      const rejection = await rejectedWith((original) => original.startsWith('<13>1 - tcp-long '));
      expect(rejection.original).toBe(long.slice(0, MAX_EVENT_BYTES));
      expect(rejection.reasons).toEqual([
        { field: '$', reason: expect.stringMatching(/longer than the 2048 bytes allowed/) },
      ]);
      expect((await accepted()).some((e) => e.node === 'tcp-long')).toBe(false);
    });

    it('archives a message the producer-event contract refuses, naming the field', async () => {
      const line = `<13>Jun  3 08:15:01 ${'h'.repeat(300)} app: host name too long`;
      await sendTcp(tcpPort, `${line}\n`);
      const rejection = await rejectedWith((original) => original === line);
      expect(rejection.reasons.map((r) => r.field)).toEqual(['node']);
    });
  });
});

describe('syslog listeners at shutdown', () => {
  it('stop accepting and close their connections when the service stops', async () => {
    const service = await startTestService(ingestService, syslogEnv);
    let client: Socket | undefined;
    try {
      const { tcpPort } = service.app.get(SyslogListeners).ports;
      if (tcpPort === undefined) throw new Error('TCP syslog not listening');
      client = await connectTcp(tcpPort);
      const closed = once(client, 'close');
      await service.stop();
      await closed;
      const refused = connect(tcpPort, HOST);
      const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
      expect(error.code).toBe('ECONNREFUSED');
    } finally {
      client?.destroy();
    }
  });
});
