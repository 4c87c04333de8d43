import { SERVICE_NAMES } from '@vigil/config';
import type { TestPlatform } from '@vigil/testing';

/** Running totals of one durable consumer, from its service's metrics. */
export interface ConsumerTotals {
  batches: number;
  messages: number;
  handlerSeconds: number;
}

/** What one consumer did between two snapshots. */
export interface ConsumerWork {
  batches: number;
  meanBatch: number;
  /** Handler time per message, transaction and acknowledgement included. */
  handlerMsPerMessage: number;
}

const SERIES =
  /^vigil_\w+_(batch_size|handler_duration_seconds)_(sum|count)\{[^}]*consumer="([^"]+)"[^}]*\} (\S+)$/gm;

/** Every consumer's totals so far, across the five services. */
export async function consumerSnapshot(platform: TestPlatform): Promise<Record<string, ConsumerTotals>> {
  const totals: Record<string, ConsumerTotals> = {};
  for (const name of SERVICE_NAMES) {
    const text = await (await fetch(`${platform.url(name)}/metrics`)).text();
    for (const [, series, kind, consumer, value] of text.matchAll(SERIES)) {
      const entry = (totals[consumer] ??= { batches: 0, messages: 0, handlerSeconds: 0 });
      if (series === 'batch_size' && kind === 'count') entry.batches = Number(value);
      else if (series === 'batch_size') entry.messages = Number(value);
      else if (kind === 'sum') entry.handlerSeconds = Number(value);
    }
  }
  return totals;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The consumers that handled anything between the snapshots, and how. */
export function consumerWork(
  before: Record<string, ConsumerTotals>,
  after: Record<string, ConsumerTotals>,
): Record<string, ConsumerWork> {
  const work: Record<string, ConsumerWork> = {};
  for (const [consumer, end] of Object.entries(after)) {
    const start = before[consumer] ?? { batches: 0, messages: 0, handlerSeconds: 0 };
    const batches = end.batches - start.batches;
    const messages = end.messages - start.messages;
    if (!batches || !messages) continue;
    work[consumer] = {
      batches,
      meanBatch: round(messages / batches, 1),
      handlerMsPerMessage: round(((end.handlerSeconds - start.handlerSeconds) * 1000) / messages, 3),
    };
  }
  return work;
}
