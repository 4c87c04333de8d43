import { DeliverPolicy, JsMsg } from '@nats-io/jetstream';
import { createNatsClient, NatsClient, NatsConnectionOptions } from '@vigil/messaging';
import { TEST_NATS_URL, uniquePrefix } from './environment';

export interface TestNats {
  prefix: string;
  client: NatsClient;
  /** Every message currently in a stream (by its unprefixed name), oldest first. */
  readStream(stream: string): Promise<JsMsg[]>;
  /** Deletes the run's streams and closes the connection. */
  cleanup(): Promise<void>;
}

/**
 * A NATS connection under a private prefix, with helpers to inspect and remove what the run made; on
 * the machine's NATS unless `connection` names another server (e.g. `startPrivateNats`).
 */
export async function createTestNats(
  prefix = uniquePrefix(),
  connection: NatsConnectionOptions = { servers: TEST_NATS_URL },
): Promise<TestNats> {
  const client = await createNatsClient({ ...connection, prefix, service: 'test' });
  const streamPrefix = client.space.stream('');

  async function readStream(stream: string): Promise<JsMsg[]> {
    const name = client.space.stream(stream);
    const info = await client.jsm.streams.info(name);
    const total = info.state.messages;
    if (total === 0) return [];
    const consumer = await client.js.consumers.get(name, {
      deliver_policy: DeliverPolicy.All,
    });
    const messages: JsMsg[] = [];
    const batch = await consumer.fetch({ max_messages: total, expires: 5000 });
    for await (const msg of batch) {
      messages.push(msg);
      if (messages.length >= total) break;
    }
    return messages;
  }

  async function cleanup(): Promise<void> {
    try {
      for await (const name of client.jsm.streams.names()) {
        if (name.startsWith(streamPrefix)) await client.jsm.streams.delete(name);
      }
    } finally {
      await client.connection.drain();
    }
  }

  return { prefix, client, readStream, cleanup };
}
