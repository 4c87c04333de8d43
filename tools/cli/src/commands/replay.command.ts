import { DeliverPolicy, JsMsg } from '@nats-io/jetstream';
import { ConnectionEnv } from '@vigil/config';
import { DeadLetterV1, RejectedEventV1, StreamNames, Subjects } from '@vigil/contracts';
import { createNatsClient, messagingOptionsFromEnv, NatsClient, toNatsHeaders } from '@vigil/messaging';
import { planDeadLetterReplay, planRejectedReplay, ReplayFrom, ReplayPlan } from './replay-plan';

export interface ReplayOptions {
  from: ReplayFrom;
  /** Rejected events of this source only. */
  source?: string;
  /** Dead letters of this consumer (durable name) only. */
  consumer?: string;
  /** Only messages archived at or after this time (RFC 3339). */
  since?: Date;
  limit?: number;
  dryRun?: boolean;
  /** Remove each replayed message from its archive. */
  delete?: boolean;
}

export interface ReplaySummary {
  examined: number;
  replayed: number;
  skipped: { seq: number; reason: string }[];
  /** The last archive sequence looked at, to continue from with `--since` or after a fix. */
  lastSeq?: number;
}

const FETCH_BATCH = 256;

/** Every archived message that matches, oldest first, read with an ephemeral ordered consumer. */
async function* archived(
  client: NatsClient,
  stream: string,
  filter: string,
  since?: Date,
): AsyncGenerator<JsMsg> {
  const info = await client.jsm.streams.info(stream);
  const endSeq = info.state.last_seq;
  if (info.state.messages === 0) return;
  const consumer = await client.js.consumers.get(stream, {
    // A string, not an array: a single filter works with nats-server 2.9 (arrays need 2.10).
    filter_subjects: filter,
    ...(since
      ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString() }
      : { deliver_policy: DeliverPolicy.All }),
  });
  for (;;) {
    const batch = await consumer.fetch({ max_messages: FETCH_BATCH, expires: 2000 });
    let received = 0;
    for await (const msg of batch) {
      received++;
      yield msg;
      // Messages archived while we replay are left for the next run.
      if (msg.info.pending === 0 || msg.seq >= endSeq) return;
    }
    if (received === 0) return;
  }
}

/**
 * `vigil replay`: sends archived messages back into the pipeline after a fix (a rule, a limit, a
 * consumer bug): refused producer events back through ingest, dead letters back to their consumer.
 */
export async function replay(env: ConnectionEnv, options: ReplayOptions): Promise<ReplaySummary> {
  const client = await createNatsClient({ ...messagingOptionsFromEnv(env), service: 'cli' });
  const { space } = client;
  const stream = space.stream(
    options.from === 'rejected' ? StreamNames.EventsRejected : StreamNames.DeadLetters,
  );
  const filter =
    options.from === 'rejected'
      ? options.source
        ? space.subject(Subjects.EventsRejected, options.source)
        : space.wildcard(Subjects.EventsRejected)
      : options.consumer
        ? space.subject(Subjects.DeadLetters, options.consumer)
        : space.wildcard(Subjects.DeadLetters);
  const summary: ReplaySummary = { examined: 0, replayed: 0, skipped: [] };
  try {
    for await (const msg of archived(client, stream, filter, options.since)) {
      if (options.limit !== undefined && summary.examined >= options.limit) break;
      summary.examined++;
      summary.lastSeq = msg.seq;
      const archive = { stream, seq: msg.seq };
      let plan: ReplayPlan;
      try {
        plan =
          options.from === 'rejected'
            ? planRejectedReplay(msg.json<RejectedEventV1>(), msg.subject, archive, space)
            : planDeadLetterReplay(msg.json<DeadLetterV1>(), archive);
      } catch (error) {
        plan = { replay: false, reason: `unreadable archive entry: ${String(error)}` };
      }
      if (!plan.replay) {
        summary.skipped.push({ seq: msg.seq, reason: plan.reason });
        continue;
      }
      if (!options.dryRun) {
        await client.js.publish(plan.subject, plan.data, {
          msgID: plan.msgId,
          headers: toNatsHeaders(plan.headers),
        });
        if (options.delete) await client.jsm.streams.deleteMessage(stream, msg.seq);
      }
      summary.replayed++;
    }
  } finally {
    await client.connection.drain();
  }
  return summary;
}
