import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';

export type SyslogTransport = 'udp' | 'tcp';
/**
 * Why a message was lost: `unavailable` (NATS unreachable), `backpressure` (too many publishes
 * awaiting JetStream), `error` (ingest failed), `shutdown` (still failing when the service stopped).
 */
export type SyslogLossReason = 'unavailable' | 'backpressure' | 'error' | 'shutdown';

@Injectable()
export class SyslogMetrics {
  readonly lost: Counter<'transport' | 'reason'>;

  constructor(metrics: ServiceMetrics) {
    // Refused messages are not losses: they are archived and counted by events_total{outcome="rejected"}.
    this.lost = metrics.counter(
      'syslog_lost_total',
      'Syslog messages received but neither stored nor archived, by transport and reason (unavailable, backpressure, error, shutdown).',
      ['transport', 'reason'],
    );
  }
}
