import { Consumers, STREAMS, StreamNames } from '@vigil/contracts';
import { Provisioner } from '../src';
import { createTestNats, TestNats } from '@vigil/testing';

describe('Provisioner (real NATS)', () => {
  let nats: TestNats;

  beforeAll(async () => {
    nats = await createTestNats();
  });

  afterAll(async () => {
    await nats?.cleanup();
  });

  it('creates every stream and consumer under the prefix, and a second run changes nothing', async () => {
    const provisioner = new Provisioner(nats.client);
    await provisioner.ensureStreams(STREAMS);
    await provisioner.ensureConsumers(Object.values(Consumers));
    const before = await nats.client.jsm.streams.info(nats.client.space.stream(StreamNames.EventsRaw));

    await provisioner.ensureStreams(STREAMS);
    await provisioner.ensureConsumers(Object.values(Consumers));
    const after = await nats.client.jsm.streams.info(nats.client.space.stream(StreamNames.EventsRaw));
    expect(after.created).toEqual(before.created);
    expect(after.config.subjects).toEqual([`${nats.prefix}.events.raw.>`]);

    const names: string[] = [];
    for await (const name of nats.client.jsm.streams.names())
      if (name.startsWith(nats.client.space.stream(''))) names.push(name);
    expect(names.sort()).toEqual(STREAMS.map((s) => nats.client.space.stream(s.name)).sort());
    for (const consumer of Object.values(Consumers)) {
      const info = await nats.client.jsm.consumers.info(
        nats.client.space.stream(consumer.stream),
        consumer.durable,
      );
      expect(info.config.max_deliver).toBe(consumer.maxDeliver);
    }
  });

  it('converges a consumer whose definition changed, keeping its position', async () => {
    const provisioner = new Provisioner(nats.client);
    const changed = { ...Consumers.NotifierAlerts, maxDeliver: 3, description: 'changed' };
    await provisioner.ensureConsumers([changed]);
    const info = await nats.client.jsm.consumers.info(
      nats.client.space.stream(changed.stream),
      changed.durable,
    );
    expect(info.config).toMatchObject({ max_deliver: 3, description: 'changed' });
  });

  it('is safe when several processes provision at once', async () => {
    const fresh = await createTestNats();
    try {
      const runs = Array.from({ length: 4 }, () => new Provisioner(fresh.client).ensureStreams(STREAMS));
      await expect(Promise.all(runs)).resolves.toBeDefined();
    } finally {
      await fresh.cleanup();
    }
  });
});
