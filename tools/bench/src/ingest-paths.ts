import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { BenchEvent, Workload } from './workload';
import { perSecond } from './stats';

/** One producer path measured on its own: how fast ingest accepted what was sent, and what was lost. */
export interface IngestPathResult {
  path: string;
  sent: number;
  accepted: number;
  elapsedMs: number;
  eventsPerSecond: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Events ingest accepted (or recognised as re-sends) for one protocol, from its own counter. */
export async function acceptedByIngest(ingestUrl: string, protocol: string): Promise<number> {
  const text = await (await fetch(`${ingestUrl}/metrics`)).text();
  let total = 0;
  const pattern = /^vigil_ingest_events_total\{([^}]*)\} (\S+)$/gm;
  for (const match of text.matchAll(pattern)) {
    const labels = match[1];
    if (labels.includes(`protocol="${protocol}"`) && /outcome="(accepted|duplicate)"/.test(labels)) {
      total += Number(match[2]);
    }
  }
  return total;
}

/** Waits until ingest's counter has moved by `expected`, or stops moving for two seconds. */
async function waitForAccepted(ingestUrl: string, protocol: string, before: number, expected: number) {
  let last = -1;
  let stillSince = Date.now();
  for (;;) {
    const accepted = (await acceptedByIngest(ingestUrl, protocol)) - before;
    if (accepted >= expected) return { accepted, at: Date.now() };
    if (accepted !== last) {
      last = accepted;
      stillSince = Date.now();
    } else if (Date.now() - stillSince > 2000) {
      return { accepted, at: stillSince };
    }
    await sleep(20);
  }
}

async function measure(
  path: string,
  ingestUrl: string,
  protocol: string,
  sent: number,
  send: () => Promise<void>,
): Promise<IngestPathResult> {
  const before = await acceptedByIngest(ingestUrl, protocol);
  const started = Date.now();
  await send();
  const { accepted, at } = await waitForAccepted(ingestUrl, protocol, before, sent);
  const elapsedMs = at - started;
  return { path, sent, accepted, elapsedMs, eventsPerSecond: perSecond(accepted, elapsedMs) };
}

/** `POST /api/v1/events/batch` with `batchSize` events per request and `window` requests in flight. */
export function httpBatchIngest(
  ingestUrl: string,
  workload: Workload,
  events: number,
  batchSize: number,
  window: number,
): Promise<IngestPathResult> {
  return measure(
    `HTTP batch (${batchSize} per request, ${window} in flight)`,
    ingestUrl,
    'vigil',
    events,
    async () => {
      let remaining = events;
      await Promise.all(
        Array.from({ length: window }, async () => {
          while (remaining > 0) {
            const size = Math.min(batchSize, remaining);
            remaining -= size;
            const batch = Array.from({ length: size }, () => workload.next());
            const response = await fetch(`${ingestUrl}/api/v1/events/batch`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(batch),
            });
            await response.arrayBuffer();
            if (response.status !== 202) throw new Error(`batch answered ${response.status}`);
          }
        }),
      );
    },
  );
}

const SYSLOG_SEVERITY: Record<string, number> = { critical: 2, major: 3, minor: 4, warning: 4, cleared: 6 };

/** An RFC 5424 line for a bench event: facility local0, its node as host, its type as app name. */
export function syslogLine(event: BenchEvent): string {
  const pri = 16 * 8 + (SYSLOG_SEVERITY[event.severity] ?? 5);
  const sd = `[bench@32473 mount="${event.labels.mount}" team="${event.labels.team}"]`;
  return `<${pri}>1 ${new Date().toISOString()} ${event.node} ${event.type} - - ${sd} ${event.summary}`;
}

/** One TCP connection, RFC 6587 octet counting, written as fast as the socket drains. */
export function syslogTcpIngest(
  ingestUrl: string,
  host: string,
  port: number,
  workload: Workload,
  events: number,
): Promise<IngestPathResult> {
  return measure(
    'syslog over TCP (octet counting, one connection)',
    ingestUrl,
    'syslog',
    events,
    async () => {
      const socket = connect({ host, port });
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      for (let i = 0; i < events; i++) {
        const line = Buffer.from(syslogLine(workload.next()));
        if (!socket.write(`${line.length} ${line.toString()}`)) {
          await new Promise<void>((resolve) => socket.once('drain', resolve));
        }
      }
      await new Promise<void>((resolve) => socket.end(resolve));
    },
  );
}

/**
 * Datagrams at a steady `rate`: UDP has no flow control, so a flat-out sender measures only the
 * kernel's buffer; the loss at a given rate is the figure that matters.
 */
export function syslogUdpIngest(
  ingestUrl: string,
  host: string,
  port: number,
  workload: Workload,
  events: number,
  rate: number,
): Promise<IngestPathResult> {
  return measure(`syslog over UDP at ${rate}/s`, ingestUrl, 'syslog', events, async () => {
    const socket = createSocket('udp4');
    const started = Date.now();
    try {
      for (let i = 0; i < events; i++) {
        const due = started + (i / rate) * 1000;
        if (due > Date.now() + 5) await sleep(due - Date.now());
        await new Promise<void>((resolve, reject) =>
          socket.send(syslogLine(workload.next()), port, host, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      }
    } finally {
      socket.close();
    }
  });
}
