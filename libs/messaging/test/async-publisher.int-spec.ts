import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { createTestNats, TestNats } from '@vigil/testing';
import { JetStreamAsyncPublisher } from '../src';

const encoder = new TextEncoder();

describe('JetStreamAsyncPublisher (real NATS)', () => {
  let nats: TestNats;
  let publisher: JetStreamAsyncPublisher;
  let subject: (token: string) => string;

  beforeAll(async () => {
    nats = await createTestNats();
    subject = (token) => `${nats.prefix}.pipelined.${token}`;
    await nats.client.jsm.streams.add({
      name: nats.client.space.stream('PIPELINED'),
      subjects: [`${nats.prefix}.pipelined.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: 60e9,
    });
    publisher = new JetStreamAsyncPublisher(nats.client.connection, 2000);
  });

  afterAll(async () => {
    publisher?.close();
    await nats?.cleanup();
  });

  it('resolves each of many pipelined publishes with its own stream sequence', async () => {
    const acks = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        publisher.publish(subject('a'), encoder.encode(`m${i}`), `id-${i}`),
      ),
    );
    expect(new Set(acks.map((a) => a.seq)).size).toBe(500);
    expect(acks.every((a) => a.stream === nats.client.space.stream('PIPELINED') && !a.duplicate)).toBe(true);
    expect(publisher.inFlight).toBe(0);
    const stored = await nats.readStream('PIPELINED');
    expect(stored.map((m) => m.headers?.get('Nats-Msg-Id'))).toEqual(acks.map((_, i) => `id-${i}`));
  });

  it('reports a re-published id as a duplicate, with the original sequence', async () => {
    const first = await publisher.publish(subject('b'), encoder.encode('x'), 'same-id', { traceparent: 't' });
    const again = await publisher.publish(subject('b'), encoder.encode('x'), 'same-id');
    expect(again).toEqual({ stream: first.stream, seq: first.seq, duplicate: true });
  });

  it('rejects a publish no stream stores, naming the subject', async () => {
    await expect(publisher.publish(`${nats.prefix}.nowhere.x`, encoder.encode('x'), 'lost')).rejects.toThrow(
      `no stream stores ${nats.prefix}.nowhere.x`,
    );
    expect(publisher.inFlight).toBe(0);
  });

  it('gives up on an acknowledgement that never comes, and on what is in flight when closed', async () => {
    // A plain subscriber takes the message but, not being a stream, never acknowledges it.
    const silent = nats.client.connection.subscribe(`${nats.prefix}.silent.>`);
    const quick = new JetStreamAsyncPublisher(nats.client.connection, 200);
    await expect(quick.publish(`${nats.prefix}.silent.x`, encoder.encode('x'), 'unheard')).rejects.toThrow(
      `no acknowledgement for ${nats.prefix}.silent.x within 200 ms`,
    );
    const patient = new JetStreamAsyncPublisher(nats.client.connection, 60_000);
    const pending = patient.publish(`${nats.prefix}.silent.y`, encoder.encode('y'), 'in-flight');
    patient.close();
    await expect(pending).rejects.toThrow(/no acknowledgement/);
    quick.close();
    silent.unsubscribe();
  });
});
