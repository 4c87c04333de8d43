import { Percentiles, percentiles } from './stats';

/**
 * When one event passed each point of the paging path, in epoch milliseconds (one machine, one
 * clock). Each comes from the part that recorded it: the producer's clock at publish, the event's
 * own `receivedAt` (ingest) and `classifiedAt` (classifier), the occurrence row's `recorded_at`
 * (`clock_timestamp()` inside the correlator's transaction), the page row's `created_at` and the
 * first escalation step's `done_at` (the start of the notifier transactions that wrote them), and
 * the sink's clock when the page's webhook arrived.
 */
export interface PathStamps {
  published: number;
  received: number;
  classified: number;
  recorded: number;
  paged: number;
  escalated: number;
  notified: number;
}

/** One stage of the path: from the stamp named `from` to the one named `to`. */
export interface Stage {
  name: string;
  from: keyof PathStamps;
  to: keyof PathStamps;
  /** What the stage's time is spent on. */
  covers: string;
}

export const PAGING_STAGES: readonly Stage[] = [
  {
    name: 'ingest',
    from: 'published',
    to: 'received',
    covers: 'producer → ingest: the raw stream or the HTTP request, validation',
  },
  {
    name: 'classify',
    from: 'received',
    to: 'classified',
    covers: 'events.accepted, the classifier consumer, the rules',
  },
  {
    name: 'correlate',
    from: 'classified',
    to: 'recorded',
    covers: 'events.classified, the correlator consumer, up to the occurrence insert',
  },
  {
    name: 'relay and page',
    from: 'recorded',
    to: 'paged',
    covers: 'commit, the outbox relay, alerts.changed, the notifier consumer, routing',
  },
  {
    name: 'escalate',
    from: 'paged',
    to: 'escalated',
    covers: 'the first escalation step: 0 when it fires in the transaction that opened the page',
  },
  {
    name: 'deliver',
    from: 'escalated',
    to: 'notified',
    covers: 'commit, the send of the born-claimed delivery, the webhook POST',
  },
  { name: 'total', from: 'published', to: 'notified', covers: 'publish → page received' },
];

export interface StageLatency {
  stage: string;
  covers: string;
  latency: Percentiles;
}

/**
 * The distribution of each stage's duration over the events (percentiles per stage, so the rows
 * do not add up to the total's percentiles).
 */
export function stageLatencies(
  events: readonly PathStamps[],
  stages: readonly Stage[] = PAGING_STAGES,
): StageLatency[] {
  return stages.map(({ name, from, to, covers }) => ({
    stage: name,
    covers,
    latency: percentiles(events.map((stamps) => stamps[to] - stamps[from])),
  }));
}

/** The stages as markdown table rows: stage, p50 / p95 / p99 / max, what it covers. */
export function stageRows(stages: readonly StageLatency[]): string[] {
  return [
    '| stage | p50 / p95 / p99 / max (ms) | covers |',
    '| --- | --- | --- |',
    ...stages.map(
      ({ stage, covers, latency: l }) =>
        `| ${stage} | ${l.p50} / ${l.p95} / ${l.p99} / ${l.max} | ${covers} |`,
    ),
  ];
}
