import { loadEnv, ConnectionEnv } from '@vigil/config';
import { DeadLetterV1, StreamNames, STREAMS, Subjects } from '@vigil/contracts';
import { Provisioner } from '@vigil/messaging';
import { createTestNats, TEST_NATS_URL, TestNats } from '@vigil/testing';
import { replay } from '../src/commands/replay.command';

describe('vigil replay (real NATS)', () => {
  let nats: TestNats;
  let env: ConnectionEnv;

  const deadLetter = (n: number): DeadLetterV1 => ({
    schema: 'vigil.deadletter/v1',
    failedAt: new Date().toISOString(),
    consumer: 'classifier-accepted',
    stream: nats.client.space.stream(StreamNames.EventsAccepted),
    streamSequence: n,
    subject: nats.client.space.subject(Subjects.EventsAccepted, 'shop'),
    deliveryCount: 8,
    cause: 'exhausted',
    error: 'classifier rules failed to load',
    headers: {
      'Nats-Msg-Id': `event-${n}`,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    },
    original: JSON.stringify({ n }),
    originalEncoding: 'utf8',
  });

  beforeAll(async () => {
    nats = await createTestNats();
    await new Provisioner(nats.client).ensureStreams(STREAMS);
    env = loadEnv(ConnectionEnv, { NATS_URL: TEST_NATS_URL, VIGIL_SUBJECT_PREFIX: nats.prefix });
    for (const n of [1, 2]) {
      await nats.client.js.publish(
        nats.client.space.subject(Subjects.DeadLetters, 'classifier-accepted'),
        JSON.stringify(deadLetter(n)),
      );
    }
    await nats.client.js.publish(
      nats.client.space.subject(Subjects.DeadLetters, 'notifier-alerts'),
      JSON.stringify({ ...deadLetter(3), consumer: 'notifier-alerts' }),
    );
  });

  afterAll(async () => {
    await nats?.cleanup();
  });

  it('says what it would replay without sending anything on a dry run', async () => {
    const summary = await replay(env, { from: 'deadletter', consumer: 'classifier-accepted', dryRun: true });
    expect(summary).toMatchObject({ examined: 2, replayed: 2, skipped: [] });
    expect(await nats.readStream(StreamNames.EventsAccepted)).toHaveLength(0);
  });

  it("sends one consumer's dead letters back to their subject, with their headers, once however often it runs", async () => {
    await replay(env, { from: 'deadletter', consumer: 'classifier-accepted' });
    await replay(env, { from: 'deadletter', consumer: 'classifier-accepted' });
    const replayed = await nats.readStream(StreamNames.EventsAccepted);
    expect(replayed.map((m) => m.json<{ n: number }>().n)).toEqual([1, 2]);
    expect(replayed[0].subject).toBe(nats.client.space.subject(Subjects.EventsAccepted, 'shop'));
    expect(replayed[0].headers?.get('traceparent')).toMatch(/^00-0af7/);
    expect(replayed[0].headers?.get('Nats-Msg-Id')).toMatch(/^replay:/);
  });

  it('removes what it replayed from the archive when asked', async () => {
    const summary = await replay(env, { from: 'deadletter', consumer: 'notifier-alerts', delete: true });
    expect(summary.replayed).toBe(1);
    const left = await nats.readStream(StreamNames.DeadLetters);
    expect(left.map((m) => m.json<DeadLetterV1>().consumer)).toEqual([
      'classifier-accepted',
      'classifier-accepted',
    ]);
  });
});
