import type { JsMsg } from '@nats-io/jetstream';
import { AcceptedEventV1, ClassifiedEventV1, Consumers, StreamNames, Subjects } from '@vigil/contracts';
import type { NatsClient } from '@vigil/messaging';

/** What the tests need of `TestNats` (libs/testing), typed here so this helper stays a plain module. */
export interface StreamReader {
  client: NatsClient;
  readStream(stream: string): Promise<JsMsg[]>;
}

/** Publishes events to the accepted stream, as ingest does (the id as `Nats-Msg-Id`). */
export async function publishAccepted(nats: StreamReader, events: readonly AcceptedEventV1[]): Promise<void> {
  for (const event of events) {
    await nats.client.js.publish(
      nats.client.space.subject(Subjects.EventsAccepted, event.source),
      JSON.stringify(event),
      { msgID: event.id },
    );
  }
}

/** The classified events in the stream, by event id. */
export async function classifiedById(nats: StreamReader): Promise<Map<string, ClassifiedEventV1>> {
  const messages = await nats.readStream(StreamNames.EventsClassified);
  return new Map(
    messages.map((message) => [message.json<ClassifiedEventV1>().id, message.json<ClassifiedEventV1>()]),
  );
}

/**
 * True once the classifier's durable consumer has acknowledged everything in the accepted stream:
 * then an event that is not in the classified stream was discarded, not merely late.
 */
export async function acceptedStreamDrained(nats: StreamReader): Promise<boolean> {
  const info = await nats.client.jsm.consumers.info(
    nats.client.space.stream(StreamNames.EventsAccepted),
    Consumers.ClassifierAccepted.durable,
  );
  return info.num_pending === 0 && info.num_ack_pending === 0;
}
