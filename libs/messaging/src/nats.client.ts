import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { SubjectSpace } from '@vigil/contracts';
import { errorText } from './errors';
import { MESSAGING_OPTIONS, MessagingOptions, NatsConnectionOptions } from './messaging.options';
import {
  describeUnreachable,
  NatsConnectError,
  natsConnectOptions,
  permanentConnectProblem,
  redactNatsServers,
} from './nats-connection';

/** nats.js's own reconnect wait; a reason is logged at once and again every 30 s while it lasts. */
const FIRST_CONNECT_RETRY_MS = 2000;
const FIRST_CONNECT_LOG_EVERY_MS = 30_000;
/** nats.js's default for one attempt (connect, TLS, CONNECT/PONG). */
const ATTEMPT_TIMEOUT_MS = 20_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The first connection, retried for as long as NATS is unreachable — Kubernetes gives no start-up
 * ordering, so NATS may come up after us — with the reason in the log. A failure that retrying
 * cannot fix (refused credentials, an untrusted certificate, an unreadable file) is thrown at once
 * as a `NatsConnectError` naming the settings involved. (nats.js's `waitOnFirstConnect` retries
 * without a word, and gives up on refused credentials only at the second refusal.)
 */
async function connectFirst(options: MessagingOptions, logger: Logger): Promise<NatsConnection> {
  const at = redactNatsServers(options.servers);
  const started = Date.now();
  const deadline =
    options.firstConnectTimeoutMs === undefined ? Infinity : started + options.firstConnectTimeoutMs;
  let logged: { at: number; reason: string } | undefined;
  for (;;) {
    try {
      return await connect({
        ...natsConnectOptions(options),
        name: `vigil-${options.service}`,
        timeout: Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now())),
        // Once connected, never give up reconnecting (nats.js still stops on refused credentials).
        maxReconnectAttempts: -1,
        // Async traces make every request (each JetStream publish) capture two stack traces up front,
        // a tenth of a busy service's CPU; our errors carry the subject instead.
        noAsyncTraces: true,
      });
    } catch (error) {
      const problem = permanentConnectProblem(error);
      if (problem) throw new NatsConnectError(problem, options, error);
      if (Date.now() + FIRST_CONNECT_RETRY_MS > deadline)
        throw new NatsConnectError('unreachable', options, error);
      const reason = describeUnreachable(options, error);
      const now = Date.now();
      if (!logged || logged.reason !== reason || now - logged.at >= FIRST_CONNECT_LOG_EVERY_MS) {
        const waited = Math.round((now - started) / 1000);
        logger.warn(
          `NATS at ${at} is not reachable (${reason}); retrying every ${FIRST_CONNECT_RETRY_MS / 1000} s (waited ${waited} s)`,
        );
        logged = { at: now, reason };
      }
      await delay(FIRST_CONNECT_RETRY_MS);
    }
  }
}

/**
 * The one NATS connection of a process, with its JetStream client and manager and the subject space.
 * Closed last on shutdown (`onApplicationShutdown`), after the transport has finished in-flight work.
 */
@Injectable()
export class NatsClient implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsClient.name);
  private disconnected = false;

  private constructor(
    readonly connection: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly space: SubjectSpace,
  ) {
    void this.followStatus();
  }

  /**
   * False while the client is reconnecting: publishes then sit in the client's buffer, so callers
   * that answer producers (HTTP ingest) refuse new work instead of piling it up.
   */
  get connected(): boolean {
    return !this.disconnected && !this.connection.isClosed();
  }

  /** Tracks reachability, and logs what an operator needs to see (names and addresses only). */
  private async followStatus(): Promise<void> {
    void this.connection.closed().then((error) => {
      if (error) this.logger.error(`NATS connection closed, no more reconnects: ${errorText(error)}`);
    });
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') {
        if (status.type === 'disconnect') this.logger.warn(`disconnected from NATS at ${status.server}`);
        this.disconnected = true;
      } else if (status.type === 'reconnect') {
        this.logger.log(`reconnected to NATS at ${status.server}`);
        this.disconnected = false;
      } else if (status.type === 'error') {
        this.logger.error(`NATS error: ${errorText(status.error)}`);
      }
    }
  }

  static async connect(options: MessagingOptions): Promise<NatsClient> {
    const connection = await connectFirst(options, new Logger(NatsClient.name));
    try {
      const jsm = await jetstreamManager(connection);
      return new NatsClient(connection, jetstream(connection), jsm, new SubjectSpace(options.prefix));
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection.isClosed()) return;
    try {
      await this.connection.drain();
    } catch (error) {
      this.logger.warn(`NATS drain failed: ${String(error)}`);
    }
  }
}

export const natsClientProvider = {
  provide: NatsClient,
  inject: [MESSAGING_OPTIONS],
  useFactory: (options: MessagingOptions) => NatsClient.connect(options),
};

/**
 * Lets tests and tools hold a client without a Nest application; pass `messagingOptionsFromEnv(env)`
 * (or a test server's connection options) for credentials and TLS.
 */
export function createNatsClient(
  options: NatsConnectionOptions & Pick<MessagingOptions, 'prefix' | 'service' | 'firstConnectTimeoutMs'>,
): Promise<NatsClient> {
  return NatsClient.connect({ ...options, consumers: [], shutdownTimeoutMs: 0, streamReplicas: 1 });
}
