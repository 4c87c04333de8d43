import { Controller, INestApplication, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  AcceptedEventV1,
  ConsumerDefinition,
  Consumers,
  DeadLetterV1,
  RpcSubjects,
  SchemaIds,
  StreamNames,
  Subjects,
} from '@vigil/contracts';
import {
  connectJetStream,
  EventPublisher,
  InvalidMessageError,
  JetStreamBatchContext,
  JetStreamTransport,
  MessagingModule,
  RpcClient,
  RpcError,
  RpcFailure,
} from '../src';
import {
  acceptedEvent,
  createTestNats,
  TEST_NATS_URL,
  TestNats,
  TestRegistryModule,
  waitFor,
} from '@vigil/testing';

/** A real consumer definition with a short retry schedule, so exhaustion happens within the test. */
const consumer: ConsumerDefinition = {
  ...Consumers.ClassifierAccepted,
  durable: 'test-accepted',
  maxDeliver: 3,
  retryDelaysMs: [50],
  ackWaitSeconds: 5,
  batchSize: 50,
  batchWaitMs: 20,
  concurrency: 2,
};

@Injectable()
class Recorder {
  readonly completed: { node: string; deliveries: number }[] = [];
  readonly started: string[] = [];
  readonly batches: number[] = [];
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

@Controller()
class TestHandlers {
  constructor(private readonly recorder: Recorder) {}

  /** Fails the whole batch when one of its events is a troublemaker, as a real batch write would. */
  @EventPattern(Subjects.EventsAccepted)
  async onEvents(@Payload() events: AcceptedEventV1[], @Ctx() context: JetStreamBatchContext): Promise<void> {
    this.recorder.batches.push(events.length);
    events.forEach((event, i) => {
      this.recorder.started.push(event.node);
      if (event.node === 'always-fails') throw new Error('database unavailable');
      if (event.node === 'fails-twice' && context.deliveryCount(i) < 3) throw new Error('flaky');
    });
    if (events.some((e) => e.node === 'slow')) await delay(1500);
    events.forEach((event, i) =>
      this.recorder.completed.push({ node: event.node, deliveries: context.deliveryCount(i) }),
    );
  }

  @MessagePattern(RpcSubjects.IngestSubmit)
  submit(@Payload() body: { kind: string }) {
    switch (body.kind) {
      case 'ok':
        return { accepted: true, id: 'id-1', fingerprint: 'fp', duplicate: false };
      case 'missing':
        throw new RpcFailure('not_found', 'no such thing');
      case 'invalid':
        throw new InvalidMessageError([{ field: 'kind', reason: 'is wrong' }]);
      default:
        throw new Error('boom');
    }
  }
}

function event(node: string, id: string): AcceptedEventV1 {
  return acceptedEvent({ id, node, summary: node, fingerprint: node });
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('JetStream transport (real NATS)', () => {
  let nats: TestNats;
  let app: INestApplication;
  let recorder: Recorder;
  let publisher: EventPublisher;

  async function deadLetters(): Promise<DeadLetterV1[]> {
    return (await nats.readStream(StreamNames.DeadLetters)).map((m) => m.json<DeadLetterV1>());
  }

  beforeAll(async () => {
    nats = await createTestNats();
    const moduleRef = await Test.createTestingModule({
      imports: [
        TestRegistryModule,
        MessagingModule.forRoot({
          service: 'test',
          servers: TEST_NATS_URL,
          prefix: nats.prefix,
          consumers: [consumer],
          shutdownTimeoutMs: 10_000,
          streamReplicas: 1,
        }),
      ],
      controllers: [TestHandlers],
      providers: [Recorder],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await app.init();
    connectJetStream(app);
    await app.startAllMicroservices();
    recorder = app.get(Recorder);
    publisher = app.get(EventPublisher);
  });

  afterAll(async () => {
    await app?.close();
    await nats?.cleanup();
  });

  it('hands a valid message to its handler and acknowledges it', async () => {
    await publisher.publish(Subjects.EventsAccepted, 'test', event('ok-1', uuid(1)), { msgId: uuid(1) });
    await waitFor('the handler to run', () => recorder.completed.find((c) => c.node === 'ok-1'));
    await waitFor('the ack', async () => {
      const info = await nats.client.jsm.consumers.info(
        nats.client.space.stream(consumer.stream),
        consumer.durable,
      );
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
  });

  it('retries a failing handler with back-off until it succeeds', async () => {
    await publisher.publish(Subjects.EventsAccepted, 'test', event('fails-twice', uuid(2)), {
      msgId: uuid(2),
    });
    const done = await waitFor('the third delivery', () =>
      recorder.completed.find((c) => c.node === 'fails-twice'),
    );
    expect(done.deliveries).toBe(3);
    expect(recorder.started.filter((n) => n === 'fails-twice')).toHaveLength(3);
    expect(
      (await deadLetters()).find((d) => d.subject.endsWith('.test') && d.error === 'flaky'),
    ).toBeUndefined();
  });

  it('dead-letters a message after max_deliver failures, with the error and the original bytes', async () => {
    const payload = event('always-fails', uuid(3));
    await publisher.publish(Subjects.EventsAccepted, 'test', payload, { msgId: uuid(3) });
    const letter = await waitFor('the dead letter', async () =>
      (await deadLetters()).find((d) => d.cause === 'exhausted'),
    );
    expect(letter).toMatchObject({
      schema: SchemaIds.DeadLetterV1,
      consumer: 'test-accepted',
      deliveryCount: 3,
      error: 'database unavailable',
      subject: nats.client.space.subject(Subjects.EventsAccepted, 'test'),
      originalEncoding: 'utf8',
      headers: { 'Nats-Msg-Id': uuid(3) },
    });
    expect(JSON.parse(letter.original)).toEqual(payload);
    expect(recorder.started.filter((n) => n === 'always-fails')).toHaveLength(3);
  });

  it('dead-letters unparseable and contract-breaking messages at once, naming the problem', async () => {
    const subject = nats.client.space.subject(Subjects.EventsAccepted, 'test');
    await nats.client.js.publish(subject, 'not json at all', { msgID: 'bad-json' });
    await publisher.publish(
      Subjects.EventsAccepted,
      'test',
      { ...event('bad-severity', uuid(4)), severity: 'bogus' as never },
      { msgId: uuid(4) },
    );
    const invalid = await waitFor('two invalid dead letters', async () => {
      const letters = (await deadLetters()).filter((d) => d.cause === 'invalid');
      return letters.length === 2 && letters;
    });
    expect(invalid.map((d) => d.deliveryCount)).toEqual([1, 1]);
    expect(invalid[0]).toMatchObject({
      original: 'not json at all',
      error: expect.stringMatching(/\$: is not valid JSON/),
    });
    expect(invalid[1].error).toMatch(/severity: must be one of/);
    expect(recorder.started).not.toContain('bad-severity');
  });

  it('hands messages over in batches, and one failing message does not hold back the others', async () => {
    const events = [
      ...Array.from({ length: 30 }, (_, i) => event(`batch-${i}`, uuid(100 + i))),
      event('always-fails', uuid(199)),
    ];
    await Promise.all(
      events.map((e) => publisher.publish(Subjects.EventsAccepted, 'test', e, { msgId: e.id })),
    );
    await waitFor('the 30 good events', () =>
      events.slice(0, 30).every((e) => recorder.completed.some((c) => c.node === e.node)),
    );
    expect(Math.max(...recorder.batches)).toBeGreaterThan(1);
    // Each good event completed exactly once, on its first delivery.
    for (const e of events.slice(0, 30)) {
      expect(recorder.completed.filter((c) => c.node === e.node)).toEqual([{ node: e.node, deliveries: 1 }]);
    }
  });

  it('lets the stream drop a re-published message id', async () => {
    const first = await publisher.publish(Subjects.EventsAccepted, 'test', event('dedup', uuid(5)), {
      msgId: uuid(5),
    });
    const again = await publisher.publish(Subjects.EventsAccepted, 'test', event('dedup', uuid(5)), {
      msgId: uuid(5),
    });
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, seq: first.seq });
    await waitFor('the handler', () => recorder.completed.find((c) => c.node === 'dedup'));
    await delay(300);
    expect(recorder.completed.filter((c) => c.node === 'dedup')).toHaveLength(1);
  });

  it('answers requests, and turns refusals into error replies rather than timeouts', async () => {
    const rpc = app.get(RpcClient);
    await expect(rpc.request(RpcSubjects.IngestSubmit, { kind: 'ok' })).resolves.toMatchObject({
      id: 'id-1',
    });
    await expect(rpc.request(RpcSubjects.IngestSubmit, { kind: 'missing' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'no such thing',
    });
    const invalid = await rpc.request(RpcSubjects.IngestSubmit, { kind: 'invalid' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(RpcError);
    expect(invalid).toMatchObject({
      code: 'invalid_request',
      details: [{ field: 'kind', reason: 'is wrong' }],
    });
    await expect(rpc.request(RpcSubjects.IngestSubmit, { kind: 'crash' })).rejects.toMatchObject({
      code: 'internal',
      message: 'boom',
    });
  });

  it('finishes in-flight work on shutdown before closing the connection', async () => {
    await publisher.publish(Subjects.EventsAccepted, 'test', event('slow', uuid(6)), { msgId: uuid(6) });
    await waitFor('the slow handler to start', () => recorder.started.includes('slow'));
    expect(app.get(JetStreamTransport).inFlightCount).toBe(1);
    await app.close();
    expect(recorder.completed.map((c) => c.node)).toContain('slow');
    // Acknowledged before the connection closed: nothing is left for redelivery.
    const info = await nats.client.jsm.consumers.info(
      nats.client.space.stream(consumer.stream),
      consumer.durable,
    );
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });
});
