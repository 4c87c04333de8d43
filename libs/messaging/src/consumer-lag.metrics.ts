import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConsumerDefinition } from '@vigil/contracts';
import { Gauge, Registry } from 'prom-client';
import { errorText } from './errors';
import { MESSAGING_OPTIONS } from './messaging.options';
import type { MessagingOptions } from './messaging.options';
import { NatsClient } from './nats.client';

/** One answer per this long, however many Prometheis scrape: consumer info is a JetStream API call. */
export const CONSUMER_LAG_CACHE_MS = 5000;
/** Longest one consumer lookup may hold `/metrics` up (nats.js would wait its own 5 s otherwise). */
export const CONSUMER_LAG_TIMEOUT_MS = 2000;

interface ConsumerLag {
  pending: number;
  ackPending: number;
  redelivered: number;
}

/** A durable's lag, or undefined when it could not be read in time. */
type LagSnapshot = ReadonlyMap<string, ConsumerLag | undefined>;

/**
 * How far each durable consumer this process runs is behind its stream, read from the server's
 * consumer info when Prometheus scrapes: `num_pending` (stored, not yet delivered), `num_ack_pending`
 * (delivered, not yet acknowledged) and `num_redelivered`. Every replica of a service reports the
 * same numbers for a durable it shares; dashboards take `max by (consumer)`, not `sum`.
 *
 * A consumer whose info cannot be read (NATS unreachable, lookup slower than
 * `CONSUMER_LAG_TIMEOUT_MS`, consumer missing) is left out of the scrape rather than reported with
 * its last value: a stale backlog would keep a lag alert firing, or quiet, on a number nobody
 * measured, while a missing series is plainly unknown and the readiness gauge says why.
 *
 * Observability's `ScrapeCache` does the same for other libraries; messaging may not import it
 * (infrastructure libraries do not import each other), hence this small copy.
 */
@Injectable()
export class ConsumerLagMetrics {
  private readonly logger = new Logger(ConsumerLagMetrics.name);
  private snapshot?: { at: number; settled: boolean; lag: Promise<LagSnapshot> };
  private failing = false;

  constructor(
    registry: Registry,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly nats: NatsClient,
  ) {
    const prefix = `vigil_${options.service}`;
    const gauge = (noun: string, help: string, pick: (lag: ConsumerLag) => number) => {
      const read = () => this.read();
      return new Gauge({
        name: `${prefix}_${noun}`,
        help,
        labelNames: ['consumer'],
        registers: [registry],
        async collect() {
          const snapshot = await read();
          this.reset();
          for (const [consumer, lag] of snapshot) if (lag) this.set({ consumer }, pick(lag));
        },
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

  /** The three gauges ask together at each scrape: they share one lookup, reused for the cache time. */
  private read(): Promise<LagSnapshot> {
    const current = this.snapshot;
    if (current && (!current.settled || Date.now() - current.at < CONSUMER_LAG_CACHE_MS)) {
      return current.lag;
    }
    const next = { at: 0, settled: false, lag: Promise.resolve<LagSnapshot>(new Map()) };
    next.lag = this.lookUpAll().finally(() => {
      next.settled = true;
      next.at = Date.now();
    });
    this.snapshot = next;
    return next.lag;
  }

  private async lookUpAll(): Promise<LagSnapshot> {
    const consumers = this.options.consumers;
    const lags = await Promise.all(consumers.map((def) => this.lookUp(def)));
    const failed = lags.filter((lag) => !lag.ok);
    // One line per outage, not one per scrape.
    if (failed.length && !this.failing) {
      this.logger.warn(`cannot read consumer lag: ${failed.map((f) => f.reason).join('; ')}`);
    }
    this.failing = failed.length > 0;
    return new Map(consumers.map((def, i) => [def.durable, lags[i].lag]));
  }

  private async lookUp(
    def: ConsumerDefinition,
  ): Promise<{ ok: true; lag: ConsumerLag } | { ok: false; lag?: undefined; reason: string }> {
    // While reconnecting, nats.js would queue the request and the scrape would wait for the timeout.
    if (!this.nats.connected) return { ok: false, reason: 'NATS is disconnected' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CONSUMER_LAG_TIMEOUT_MS} ms`)),
        CONSUMER_LAG_TIMEOUT_MS,
      );
      timer.unref();
    });
    try {
      const info = await Promise.race([
        this.nats.jsm.consumers.info(this.nats.space.stream(def.stream), def.durable),
        timeout,
      ]);
      return {
        ok: true,
        lag: {
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          redelivered: info.num_redelivered,
        },
      };
    } catch (error) {
      return { ok: false, reason: `${def.durable}: ${errorText(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }
}
