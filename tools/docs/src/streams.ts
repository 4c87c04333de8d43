import { Consumers, STREAMS } from '@vigil/contracts';

/** Where docs/architecture.md holds the generated tables; the text between is replaced whole. */
export const BEGIN =
  '<!-- streams and consumers: generated from libs/contracts by `npm run docs`; do not edit -->';
export const END = '<!-- end of generated streams and consumers -->';

function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** A Markdown table laid out as Prettier lays it out, so the formatter leaves it alone. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(3, title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The streams and the durable consumers on them, from the definitions every process provisions. */
export function streamsMarkdown(): string {
  const consumers = Object.values(Consumers);
  const streams = table(
    ['stream', 'subjects', 'kept', 'duplicate window', 'durable consumers'],
    STREAMS.map((stream) => [
      `\`${stream.name}\``,
      `\`${stream.family}.>\``,
      duration(stream.maxAgeSeconds),
      duration(stream.duplicateWindowSeconds) +
        (stream.producerIdempotency ? ' (`NATS_DUPLICATE_WINDOW_SECONDS`)' : ''),
      consumers
        .filter((consumer) => consumer.stream === stream.name)
        .map((consumer) => `\`${consumer.durable}\``)
        .join(', ') || 'none',
    ]),
  );
  const durables = table(
    ['durable consumer', 'service', 'reads', 'batch', 'in flight', 'deliveries', 'retry delays'],
    consumers.map((consumer) => [
      `\`${consumer.durable}\``,
      consumer.durable.split('-')[0],
      `\`${consumer.subject}.>\``,
      `${consumer.batchSize}, ${consumer.batchWaitMs} ms`,
      `${consumer.concurrency} × batch, ≤ ${consumer.maxAckPending} unacked`,
      `${consumer.maxDeliver}, ack wait ${duration(consumer.ackWaitSeconds)}`,
      consumer.retryDelaysMs.map((ms) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`)).join(', '),
    ]),
  );
  return `${streams}\n\n${durables}`;
}

/** `doc` with the generated section replaced by the current one. */
export function withStreams(doc: string): string {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin)
    throw new Error(`the document has no section between "${BEGIN}" and "${END}"`);
  return `${doc.slice(0, begin + BEGIN.length)}\n\n${streamsMarkdown()}\n\n${doc.slice(end)}`;
}
