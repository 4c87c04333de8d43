import { ConnectionEnv, loadEnv } from '@vigil/config';
import { Consumers, StreamNames, STREAMS, Subjects } from '@vigil/contracts';
import { createNatsClient, messagingOptionsFromEnv, NatsClient, Provisioner } from '../src';
import { PrivateNats, startPrivateNats, uniquePrefix } from '@vigil/testing';

/**
 * Provisioning on a three-node JetStream cluster with `NATS_STREAM_REPLICAS=3`, as a production
 * deployment runs it: every stream gets three replicas, and keeps taking messages with a node down.
 */
describe('provisioning on a 3-node NATS cluster', () => {
  let cluster: PrivateNats;
  let client: NatsClient;

  beforeAll(async () => {
    cluster = await startPrivateNats({
      nodes: 3,
      auth: { users: [{ user: 'vigil', password: 'cluster-pw' }] },
    });
    const env = loadEnv(ConnectionEnv, {
      NATS_URL: cluster.url,
      NATS_USER: 'vigil',
      NATS_PASSWORD: 'cluster-pw',
      NATS_STREAM_REPLICAS: '3',
      VIGIL_SUBJECT_PREFIX: uniquePrefix(),
    });
    const options = messagingOptionsFromEnv(env);
    client = await createNatsClient({ ...options, service: 'test', firstConnectTimeoutMs: 10_000 });
    await new Provisioner(client, options).ensureStreams(STREAMS);
    await new Provisioner(client, options).ensureConsumers(Object.values(Consumers));
  });

  afterAll(async () => {
    await client?.connection.close();
    await cluster?.stop();
  });

  it('gives every stream three replicas, one on each node', async () => {
    expect(cluster.urls).toHaveLength(3);
    for (const def of STREAMS) {
      const info = await client.jsm.streams.info(client.space.stream(def.name));
      expect(info.config.num_replicas).toBe(3);
      expect(info.cluster?.leader).toBeTruthy();
      expect(info.cluster?.replicas).toHaveLength(2);
    }
  });

  it('stores and acknowledges an event with one node down', async () => {
    // The node the client is not connected to, so the test is about the stream, not the connection.
    const connectedPort = client.connection.getServer().split(':').pop();
    const down = cluster.urls.findIndex((url) => !url.endsWith(`:${connectedPort}`));
    await cluster.kill(down);
    try {
      // When the node down led the stream, the survivors elect a new leader first (a second or
      // two, longer on a loaded machine); until then a publish finds no responder, so it is retried.
      const ack = await client.js.publish(client.space.subject(Subjects.EventsRaw, 'cluster-test'), '{}', {
        timeout: 10_000,
        retries: 8,
      });
      expect(ack.stream).toBe(client.space.stream(StreamNames.EventsRaw));
    } finally {
      await cluster.restart(down);
    }
  });
});
