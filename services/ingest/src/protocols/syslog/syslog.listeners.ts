import { randomUUID } from 'node:crypto';
import { createSocket, RemoteInfo, Socket as UdpSocket } from 'node:dgram';
import { AddressInfo, createServer, isIPv6, Server, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { errorText, EventPublisher, NatsClient } from '@vigil/messaging';
import { IngestEnv } from '../../ingest.env';
import { SyslogFrame, SyslogStreamFramer } from './syslog-framing';
import { peerText, SyslogPeer } from './syslog-mapping';
import { SyslogLossReason, SyslogMetrics } from './syslog.metrics';
import { SyslogReceiver } from './syslog.receiver';
import { SyslogTcpConnection } from './syslog-tcp-connection';

/** Frames of one TCP connection being ingested at once before reading from it pauses. */
export const TCP_MAX_IN_FLIGHT = 256;
/**
 * Attempts for a TCP frame whose ingest fails while NATS is connected, where the failure may be the
 * message's own and retrying for ever would stall its connection. While NATS is disconnected the
 * retries go on: the connection pauses and TCP holds the sender back until NATS is back.
 */
const TCP_ATTEMPTS_WHILE_CONNECTED = 5;
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;
/** Syslog connections live for days and are often idle; keep-alive finds peers that vanished. */
const TCP_KEEPALIVE_MS = 60_000;

export interface SyslogPorts {
  udpPort?: number;
  tcpPort?: number;
}

/**
 * The syslog listeners on SYSLOG_HOST: UDP (one message per datagram) and TCP (RFC 6587 framing),
 * each skipped when its port is -1.
 *
 * UDP syslog is lossy by nature — no acknowledgement, no flow control — so a datagram that arrives
 * while NATS is unreachable or too far behind (INGEST_MAX_PENDING_PUBLISHES), or whose ingest fails,
 * is dropped, counted in `syslog_lost_total` and logged (once per outage). TCP is the reliable
 * choice: a failed ingest is retried with back-off as the same event, and a connection with too
 * many messages pending stops being read, so the sender's own queue holds them.
 */
@Injectable()
export class SyslogListeners implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SyslogListeners.name);
  private udp?: UdpSocket;
  private tcp?: Server;
  private bound: SyslogPorts = {};
  private readonly connections = new Map<Socket, SyslogTcpConnection>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private udpLossReported = false;

  constructor(
    private readonly receiver: SyslogReceiver,
    private readonly metrics: SyslogMetrics,
    private readonly env: IngestEnv,
    private readonly publisher: EventPublisher,
    private readonly nats: NatsClient,
  ) {}

  /** The ports actually bound (useful when configured as 0); a disabled listener has none. */
  get ports(): SyslogPorts {
    return { ...this.bound };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { SYSLOG_HOST: host, SYSLOG_UDP_PORT: udpPort, SYSLOG_TCP_PORT: tcpPort } = this.env;
    try {
      if (udpPort !== -1) this.udp = await this.bindUdp(host, udpPort);
      if (tcpPort !== -1) this.tcp = await this.listenTcp(host, tcpPort);
    } catch (error) {
      // The application will not start; without this a bound UDP socket would keep the process alive.
      await this.close();
      throw new Error(`syslog: cannot listen on ${host}: ${errorText(error)}`);
    }
    this.logListening();
  }

  /** Stops accepting and reading, lets every message already read finish, then closes the sockets. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.close();
  }

  private bindUdp(host: string, port: number): Promise<UdpSocket> {
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', (error) => {
        closeQuietly(socket);
        reject(error);
      });
      socket.bind(port, host, () => {
        socket.removeAllListeners('error');
        socket.on('error', (error) => this.logger.error(`syslog UDP socket: ${errorText(error)}`));
        socket.on('message', (datagram, remote) => this.onDatagram(datagram, remote));
        this.enlargeReceiveBuffer(socket);
        this.bound.udpPort = socket.address().port;
        resolve(socket);
      });
    });
  }

  /**
   * Datagrams that arrive while the event loop is busy wait in the kernel's receive buffer; the
   * default (about 200 KiB, a thousand short lines) overflows in a fraction of a second under load
   * and the kernel drops silently. The kernel caps the size at net.core.rmem_max.
   */
  private enlargeReceiveBuffer(socket: UdpSocket): void {
    try {
      socket.setRecvBufferSize(this.env.SYSLOG_UDP_RECEIVE_BUFFER_BYTES);
    } catch (error) {
      this.logger.warn(`could not enlarge the syslog UDP receive buffer: ${errorText(error)}`);
    }
    const effective = socket.getRecvBufferSize();
    // Linux reports double what it granted (its bookkeeping included): a full grant reads back larger.
    if (effective < this.env.SYSLOG_UDP_RECEIVE_BUFFER_BYTES) {
      this.logger.warn(
        `the syslog UDP receive buffer is ${effective} bytes, less than the ${this.env.SYSLOG_UDP_RECEIVE_BUFFER_BYTES} asked for: raise net.core.rmem_max to absorb bursts`,
      );
    }
  }

  private listenTcp(host: string, port: number): Promise<Server> {
    const server = createServer((socket) => this.onConnection(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (error) => this.logger.error(`syslog TCP server: ${errorText(error)}`));
        // A TCP server listening on a host and port always has an AddressInfo (a string is a pipe's).
        this.bound.tcpPort = (server.address() as AddressInfo).port;
        resolve(server);
      });
    });
  }

  private logListening(): void {
    const host = this.env.SYSLOG_HOST;
    const { udpPort, tcpPort } = this.bound;
    if (udpPort === undefined && tcpPort === undefined) {
      this.logger.log('syslog listeners disabled (SYSLOG_UDP_PORT and SYSLOG_TCP_PORT are -1)');
      return;
    }
    const listening = [
      udpPort !== undefined ? `udp://${host}:${udpPort}` : 'UDP disabled',
      tcpPort !== undefined ? `tcp://${host}:${tcpPort}` : 'TCP disabled',
    ];
    this.logger.log(
      `syslog listening on ${listening.join(', ')}; UDP drops what it cannot store at once, TCP is the reliable choice`,
    );
    if (this.env.INGEST_AUTH === 'required') {
      this.logger.warn(
        'syslog has no authentication: whoever reaches these ports can send events (source "syslog"); restrict them by network, or set the ports to -1',
      );
    }
  }

  private onDatagram(datagram: Buffer, remote: RemoteInfo): void {
    const peer = { address: remote.address, port: remote.port };
    if (!this.nats.connected) return this.loseDatagram(peer, 'unavailable', 'NATS is unreachable');
    if (this.publisher.inFlight >= this.env.INGEST_MAX_PENDING_PUBLISHES) {
      return this.loseDatagram(peer, 'backpressure', `${this.publisher.inFlight} publishes await JetStream`);
    }
    void this.track(
      this.receiver.receive({ kind: 'message', bytes: datagram }, peer).then(
        () => {
          this.udpLossReported = false;
        },
        (error: unknown) => this.loseDatagram(peer, 'error', errorText(error)),
      ),
    );
  }

  private loseDatagram(peer: SyslogPeer, reason: SyslogLossReason, why: string): void {
    this.metrics.lost.inc({ transport: 'udp', reason });
    if (this.udpLossReported) return;
    this.udpLossReported = true;
    this.logger.warn(
      `dropped a syslog datagram from ${peerText(peer)}: ${why}. Further losses are only counted (syslog_lost_total) until a datagram is stored again; use TCP where every message matters`,
    );
  }

  private onConnection(socket: Socket): void {
    if (this.stopping.signal.aborted) {
      socket.destroy();
      return;
    }
    const peer = { address: socket.remoteAddress ?? 'unknown', port: socket.remotePort ?? 0 };
    // Names the connection's frames so that a retried one is the same event (JetStream de-duplicates).
    const connectionId = randomUUID();
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    socket.on('error', (error) =>
      this.logger.debug(`syslog TCP peer ${peerText(peer)}: ${errorText(error)}`),
    );
    const connection = new SyslogTcpConnection(
      socket,
      new SyslogStreamFramer(this.env.INGEST_MAX_EVENT_BYTES),
      (frame, sequence) => this.track(this.ingestTcpFrame(frame, peer, `syslog:${connectionId}:${sequence}`)),
      TCP_MAX_IN_FLIGHT,
    );
    this.connections.set(socket, connection);
    socket.once('close', () => this.connections.delete(socket));
  }

  private async ingestTcpFrame(frame: SyslogFrame, peer: SyslogPeer, deliveryKey: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      let failure: unknown;
      try {
        await this.receiver.receive(frame, peer, deliveryKey);
        return;
      } catch (error) {
        failure = error;
      }
      if (this.nats.connected && attempt >= TCP_ATTEMPTS_WHILE_CONNECTED) {
        return this.loseTcpFrame(peer, 'error', attempt, failure);
      }
      if (attempt === 1) {
        this.logger.warn(
          `ingest of a syslog message from ${peerText(peer)} failed, retrying: ${errorText(failure)}`,
        );
      }
      if (!(await this.waitBeforeRetry(attempt)))
        return this.loseTcpFrame(peer, 'shutdown', attempt, failure);
    }
  }

  private loseTcpFrame(peer: SyslogPeer, reason: SyslogLossReason, attempts: number, failure: unknown): void {
    this.metrics.lost.inc({ transport: 'tcp', reason });
    this.logger.error(
      `lost a syslog message from ${peerText(peer)} over TCP after ${attempts} attempt(s) (${reason}): ${errorText(failure)}`,
    );
  }

  /** Exponential back-off; false, at once, when the service is stopping. */
  private async waitBeforeRetry(attempt: number): Promise<boolean> {
    if (this.stopping.signal.aborted) return false;
    try {
      await sleep(Math.min(RETRY_FIRST_MS * 2 ** (attempt - 1), RETRY_MAX_MS), undefined, {
        signal: this.stopping.signal,
      });
      return true;
    } catch {
      return false;
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  private async close(): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    const udpClosed = udp ? new Promise<void>((resolve) => udp.close(() => resolve())) : undefined;
    // Resolves once every connection is gone; errors only if the server was not listening.
    const tcpClosed = tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : undefined;
    for (const connection of this.connections.values()) connection.stop();
    // A retried frame may still be waiting; the abort ends its wait, so this terminates.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    // Reading stopped, so what the kernel still holds is unread either way: no point in a graceful end.
    for (const socket of this.connections.keys()) socket.destroy();
    await Promise.all([udpClosed, tcpClosed]);
  }
}

function closeQuietly(socket: UdpSocket): void {
  try {
    socket.close();
  } catch {
    // Never bound: nothing to close.
  }
}
