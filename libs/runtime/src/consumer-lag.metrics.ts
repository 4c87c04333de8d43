import type { INestApplicationContext } from '@nestjs/common';
import { MESSAGING_OPTIONS, NatsClient } from '@vigil/messaging';
import type { MessagingOptions } from '@vigil/messaging';
import { ScrapeCache, ServiceMetrics } from '@vigil/observability';

/** One answer per this long, however many Prometheis scrape: consumer info is a JetStream API call. */
export const CONSUMER_LAG_CACHE_MS = 5000;
/** Longest the lookups may hold `/metrics` up (nats.js would wait its own 5 s otherwise). */
export const CONSUMER_LAG_TIMEOUT_MS = 2000;

interface ConsumerLag {
  pending: number;
  ackPending: number;
  redelivered: number;
}

/**
 * How far each durable consumer this process runs is behind its stream, read from the server's
 * consumer info when Prometheus scrapes: `num_pending` (stored, not yet delivered), `num_ack_pending`
 * (delivered, not yet acknowledged) and `num_redelivered`. Every replica of a service reports the
 * same numbers for a durable it shares; dashboards take `max by (consumer)`, not `sum`.
 *
 * A consumer whose info cannot be read (NATS unreachable, too slow, consumer missing) is left out of
 * the scrape rather than reported with its last value: a stale backlog would keep a lag alert firing,
 * or quiet, on a number nobody measured, while a missing series is plainly unknown and the readiness
 * gauge says why. It lives here because it joins messaging (the consumers) and observability (the
 * scrape cache), which do not import each other; `createServiceApp` attaches it to every service.
 */
export class ConsumerLagMetrics {
  private readonly lag: ScrapeCache<ReadonlyMap<string, ConsumerLag | undefined>>;

  /** Registers the gauges for the consumers of an initialised application. */
  static attach(app: INestApplicationContext): ConsumerLagMetrics {
    return new ConsumerLagMetrics(
      app.get(ServiceMetrics),
      app.get<MessagingOptions>(MESSAGING_OPTIONS),
      app.get(NatsClient),
    );
  }

  constructor(
    metrics: ServiceMetrics,
    private readonly options: MessagingOptions,
    private readonly nats: NatsClient,
  ) {
    this.lag = new ScrapeCache(() => this.lookUpAll(), {
      ttlMs: CONSUMER_LAG_CACHE_MS,
      timeoutMs: CONSUMER_LAG_TIMEOUT_MS,
      description: 'consumer lag',
    });
    const gauge = (noun: string, help: string, pick: (lag: ConsumerLag) => number) => {
      const lag = this.lag;
      metrics.gauge(noun, help, ['consumer'], async function () {
        const snapshot = await lag.get();
        this.reset();
        for (const [consumer, value] of snapshot ?? []) if (value) this.set({ consumer }, pick(value));
      });
    };
    gauge(
      'consumer_pending_messages',
      'Messages in the stream not yet delivered to the durable consumer (num_pending).',
      (lag) => lag.pending,
    );
    gauge(
      'consumer_ack_pending_messages',
      'Messages delivered to the durable consumer and not yet acknowledged (num_ack_pending).',
      (lag) => lag.ackPending,
    );
    gauge(
      'consumer_redelivered_messages',
      'Unacknowledged messages of the durable consumer delivered more than once (num_redelivered).',
      (lag) => lag.redelivered,
    );
  }

  /** Every consumer's lag, or undefined for one whose info could not be read. */
  private async lookUpAll(): Promise<ReadonlyMap<string, ConsumerLag | undefined>> {
    // While reconnecting, nats.js would queue the requests and the scrape would wait for the timeout.
    if (!this.nats.connected) throw new Error('NATS is disconnected');
    const { consumers } = this.options;
    const infos = await Promise.allSettled(
      consumers.map((def) => this.nats.jsm.consumers.info(this.nats.space.stream(def.stream), def.durable)),
    );
    return new Map(
      consumers.map((def, i) => {
        const info = infos[i];
        const lag =
          info.status === 'fulfilled'
            ? {
                pending: info.value.num_pending,
                ackPending: info.value.num_ack_pending,
                redelivered: info.value.num_redelivered,
              }
            : undefined;
        return [def.durable, lag];
      }),
    );
  }
}
