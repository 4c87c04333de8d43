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
 * Calls `sendOne` with 0, 1, 2, … at `ratePerSecond` for `durationMs`, spreading the calls over
 * 5 ms ticks so the offered load is smooth; returns how many it made, once all have settled. Sends
 * are not awaited one by one: a slow acknowledgement must not slow the offered rate.
 */
export async function atRate(
  ratePerSecond: number,
  durationMs: number,
  sendOne: (index: number) => Promise<unknown>,
): Promise<number> {
  const started = Date.now();
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  for (;;) {
    const elapsed = Date.now() - started;
    if (elapsed >= durationMs) break;
    for (const due = Math.floor((elapsed * ratePerSecond) / 1000); sent < due; sent++) {
      pending.push(sendOne(sent));
    }
    await sleep(5);
  }
  await Promise.all(pending);
  return sent;
}

/** Sends the workload's events at `ratePerSecond` for `durationMs` (see `atRate`). */
export function sendAtRate(
  sender: Sender,
  workload: Workload,
  ratePerSecond: number,
  durationMs: number,
  times: PublishTimes,
): Promise<number> {
  return atRate(ratePerSecond, durationMs, () => {
    const event = workload.next();
    times.set(event.id, Date.now());
    return sender.send(event);
  });
}
