import { Injectable, Logger } from '@nestjs/common';
import { DeliverPolicy } from '@nats-io/jetstream';
import { AcceptedEventV1, StreamNames, validatePlain } from '@vigil/contracts';
import { errorText, NatsClient } from '@vigil/messaging';

export interface HistoryWindow {
  events: AcceptedEventV1[];
  /** Messages in the window that are not valid accepted events (they were dead-lettered live). */
  skipped: number;
  firstSequence: number | null;
  lastSequence: number | null;
}

/** Messages asked for per fetch; an ordered consumer has one fetch in flight at a time. */
const FETCH_BATCH = 1000;
/** How long one fetch waits for messages the stream info said exist. */
const FETCH_EXPIRES_MS = 2000;

/**
 * Reads the most recent events of the accepted stream — the log every event passed through — with
 * an ordered consumer: ephemeral, server-side flow controlled, and invisible to the durable consumer
 * that classifies live traffic, so replaying history neither steals nor acknowledges live events.
 */
@Injectable()
export class AcceptedHistory {
  private readonly logger = new Logger(AcceptedHistory.name);

  constructor(private readonly nats: NatsClient) {}

  async readLast(limit: number): Promise<HistoryWindow> {
    const stream = this.nats.space.stream(StreamNames.EventsAccepted);
    const { state } = await this.nats.jsm.streams.info(stream);
    const window: HistoryWindow = { events: [], skipped: 0, firstSequence: null, lastSequence: null };
    if (state.messages === 0) return window;
    // The window ends at the last event stored when the request came; later ones are not waited for.
    const last = state.last_seq;
    const start = Math.max(state.first_seq, last - limit + 1);
    const consumer = await this.nats.js.consumers.get(stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    try {
      let reached = start - 1;
      while (reached < last) {
        const batch = await consumer.fetch({
          max_messages: Math.min(FETCH_BATCH, last - reached),
          expires: FETCH_EXPIRES_MS,
        });
        let received = 0;
        for await (const message of batch) {
          received++;
          reached = message.seq;
          window.firstSequence ??= message.seq;
          window.lastSequence = message.seq;
          const event = parse(message.data);
          if (event) window.events.push(event);
          else window.skipped++;
          if (reached >= last) break;
        }
        // Nothing came although the info said more exists: those messages expired meanwhile.
        if (received === 0) break;
      }
    } finally {
      await consumer.delete().catch((error: unknown) => {
        this.logger.debug(`ordered consumer not deleted (it expires by itself): ${errorText(error)}`);
      });
    }
    return window;
  }
}

function parse(data: Uint8Array): AcceptedEventV1 | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
  const result = validatePlain(AcceptedEventV1, value);
  return result.ok ? result.value : undefined;
}
