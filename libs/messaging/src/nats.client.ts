import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { SubjectSpace } from '@vigil/contracts';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

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

  private async followStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnecting') this.disconnected = true;
      else if (status.type === 'reconnect') this.disconnected = false;
    }
  }

  static async connect(options: MessagingOptions): Promise<NatsClient> {
    const connection = await connect({
      servers: options.servers.split(',').map((s) => s.trim()),
      name: `vigil-${options.service}`,
      // Keep trying rather than crash-loop when NATS starts after us (Kubernetes gives no ordering).
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      // Async traces make every request (each JetStream publish) capture two stack traces up front,
      // a tenth of a busy service's CPU; our errors carry the subject instead.
      noAsyncTraces: true,
    });
    const jsm = await jetstreamManager(connection);
    return new NatsClient(connection, jetstream(connection), jsm, new SubjectSpace(options.prefix));
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

/** Lets tests and tools hold a client without a Nest application. */
export function createNatsClient(options: Pick<MessagingOptions, 'servers' | 'prefix' | 'service'>) {
  return NatsClient.connect({ ...options, consumers: [], shutdownTimeoutMs: 0, streamReplicas: 1 });
}
