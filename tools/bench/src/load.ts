import { Subjects } from '@vigil/contracts';
import type { NatsClient } from '@vigil/messaging';
import type { BenchEvent, Workload } from './workload';

/** When each event was handed to the transport, by producer id (ms since epoch). */
export type PublishTimes = Map<string, number>;

export interface Sender {
  send(event: BenchEvent): Promise<unknown>;
}

/** Producers' path: JetStream publish to `events.raw.<source>`, resolving on the PubAck. */
export function natsSender(client: NatsClient): Sender {
  return {
    send: (event) =>
      client.js.publish(client.space.subject(Subjects.EventsRaw, event.source), JSON.stringify(event), {
        msgID: event.id,
      }),
  };
}

/** `POST /api/v1/events`, resolving on the 202 (which ingest sends after its own PubAck). */
export function httpSender(ingestUrl: string): Sender {
  return {
    async send(event) {
      const response = await fetch(`${ingestUrl}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
    },
  };
}

/** Sends `count` events as fast as the sender allows, with `window` in flight. */
export async function sendFlatOut(
  sender: Sender,
  workload: Workload,
  count: number,
  times: PublishTimes,
  window: number,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < count) {
        next++;
        const event = workload.next();
        times.set(event.id, Date.now());
        await sender.send(event);
      }
    }),
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends at `ratePerSecond` for `durationMs`, spreading sends over 5 ms ticks so the offered load
 * is smooth. Publishes are not awaited one by one: a slow PubAck must not slow the offered rate.
 */
export async function sendAtRate(
  sender: Sender,
  workload: Workload,
  ratePerSecond: number,
  durationMs: number,
  times: PublishTimes,
): Promise<number> {
  const started = Date.now();
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  for (;;) {
    const elapsed = Date.now() - started;
    if (elapsed >= durationMs) break;
    const due = Math.floor((elapsed * ratePerSecond) / 1000);
    for (; sent < due; sent++) {
      const event = workload.next();
      times.set(event.id, Date.now());
      pending.push(sender.send(event));
    }
    await sleep(5);
  }
  await Promise.all(pending);
  return sent;
}
