import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { MESSAGING_OPTIONS } from './messaging.options';
import type { MessagingOptions } from './messaging.options';

/** The transport's own series, registered in the process registry that observability exposes. */
@Injectable()
export class MessagingMetrics {
  readonly handled: Counter<'consumer' | 'outcome'>;
  readonly handlerDuration: Histogram<'consumer'>;
  readonly batchSize: Histogram<'consumer'>;
  readonly published: Counter<'family' | 'duplicate'>;
  readonly rpcHandled: Counter<'subject' | 'outcome'>;

  constructor(registry: Registry, @Inject(MESSAGING_OPTIONS) options: MessagingOptions) {
    const prefix = `vigil_${options.service}`;
    const registers = [registry];
    this.handled = new Counter({
      name: `${prefix}_messages_total`,
      help: 'Messages handled per durable consumer, by outcome (acked, retried, dead_lettered, requeued).',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
    this.handlerDuration = new Histogram({
      name: `${prefix}_handler_duration_seconds`,
      help: 'Time spent handling one batch, validation and acknowledgement included.',
      labelNames: ['consumer'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.batchSize = new Histogram({
      name: `${prefix}_batch_size`,
      help: 'Messages per handler call.',
      labelNames: ['consumer'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.published = new Counter({
      name: `${prefix}_published_total`,
      help: 'Messages published to JetStream and acknowledged, by subject family and duplicate flag.',
      labelNames: ['family', 'duplicate'],
      registers,
    });
    this.rpcHandled = new Counter({
      name: `${prefix}_rpc_requests_total`,
      help: 'Request/reply messages handled, by subject and outcome.',
      labelNames: ['subject', 'outcome'],
      registers,
    });
  }
}
