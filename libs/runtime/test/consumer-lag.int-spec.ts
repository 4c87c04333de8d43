import { Controller, INestApplication, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AcceptedEventV1, ConsumerDefinition, Consumers, Subjects } from '@vigil/contracts';
import { connectJetStream, EventPublisher, JetStreamBatchContext, MessagingModule } from '@vigil/messaging';
import { OBSERVABILITY_OPTIONS, ServiceMetrics } from '@vigil/observability';
import {
  acceptedEvent,
  createTestNats,
  TEST_NATS_URL,
  TestNats,
  TestRegistryModule,
  waitFor,
} from '@vigil/testing';
import { Gauge, Registry } from 'prom-client';
import { CONSUMER_LAG_CACHE_MS, ConsumerLagMetrics } from '../src';

const consumer: ConsumerDefinition = {
  ...Consumers.ClassifierAccepted,
  durable: 'test-lag',
  maxDeliver: 5,
  retryDelaysMs: [50],
  ackWaitSeconds: 30,
  batchSize: 50,
  batchWaitMs: 20,
  // Enough slots that every held batch is in the handler, so what is delivered is what is held.
  concurrency: 10,
};

/** Holds every batch in the handler until released, so messages stay delivered but unacknowledged. */
@Injectable()
class Gate {
  private opened = false;
  private readonly waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  open(): void {
    this.opened = true;
    this.waiters.splice(0).forEach((resolve) => resolve());
  }
}

@Controller()
class HeldHandlers {
  constructor(private readonly gate: Gate) {}

  /** `again` fails its first delivery, so the server redelivers it. */
  @EventPattern(Subjects.EventsAccepted)
  async onEvents(@Payload() events: AcceptedEventV1[], @Ctx() context: JetStreamBatchContext): Promise<void> {
    events.forEach((event, i) => {
      if (event.node === 'again' && context.deliveryCount(i) === 1) throw new Error('first delivery fails');
    });
    await this.gate.wait();
  }
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('consumer lag gauges (real NATS)', () => {
  let nats: TestNats;
  let app: INestApplication;
  let registry: Registry;
  let publisher: EventPublisher;

  const publish = (node: string, n: number) =>
    publisher.publish(Subjects.EventsAccepted, 'lag', acceptedEvent({ id: uuid(n), node }), {
      msgId: uuid(n),
    });

  /** What a scrape reports for the consumer, or undefined when its series is left out. */
  async function scrape(noun: string): Promise<number | undefined> {
    const gauge = registry.getSingleMetric(`vigil_test_${noun}`) as Gauge<'consumer'>;
    const { values } = await gauge.get();
    return values.find((v) => v.labels.consumer === consumer.durable)?.value;
  }

  const lag = async () => ({
    pending: await scrape('consumer_pending_messages'),
    ackPending: await scrape('consumer_ack_pending_messages'),
    redelivered: await scrape('consumer_redelivered_messages'),
  });

  /** Scrapes until the gauges report `expected`; the cache makes a change take up to its lifetime. */
  const lagBecomes = (expected: Awaited<ReturnType<typeof lag>>) =>
    waitFor(
      `lag ${JSON.stringify(expected)}`,
      async () => JSON.stringify(await lag()) === JSON.stringify(expected),
      { timeoutMs: CONSUMER_LAG_CACHE_MS * 3, intervalMs: 250 },
    );

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
      controllers: [HeldHandlers],
      providers: [Gate, ServiceMetrics, { provide: OBSERVABILITY_OPTIONS, useValue: { service: 'test' } }],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    // Initialised (streams and the durable consumer provisioned) but not consuming yet.
    await app.init();
    // As createServiceApp does for every service.
    ConsumerLagMetrics.attach(app);
    registry = app.get(Registry);
    publisher = app.get(EventPublisher);
  });

  afterAll(async () => {
    app?.get(Gate).open();
    await app?.close();
    await nats?.cleanup();
  });

  it('reports the messages stored but not delivered to a consumer that is not consuming', async () => {
    for (let n = 0; n < 5; n++) await publish(`held-${n}`, n);
    expect(await lag()).toEqual({ pending: 5, ackPending: 0, redelivered: 0 });
  });

  it('answers repeated scrapes from the cache instead of asking NATS each time', async () => {
    await publish('held-5', 5);
    // Scraped a moment ago: the sixth message is not seen until the cached answer expires.
    expect(await scrape('consumer_pending_messages')).toBe(5);
    await lagBecomes({ pending: 6, ackPending: 0, redelivered: 0 });
  });

  it('moves delivered, unacknowledged messages from pending to ack pending, redeliveries counted', async () => {
    connectJetStream(app);
    await app.startAllMicroservices();
    await lagBecomes({ pending: 0, ackPending: 6, redelivered: 0 });
    await publish('again', 6);
    await lagBecomes({ pending: 0, ackPending: 7, redelivered: 1 });
  });

  it('reports nothing outstanding once the messages are acknowledged', async () => {
    app.get(Gate).open();
    await lagBecomes({ pending: 0, ackPending: 0, redelivered: 0 });
  });

  it('leaves out a consumer whose info cannot be read, and the scrape still succeeds', async () => {
    await nats.client.jsm.consumers.delete(nats.client.space.stream(consumer.stream), consumer.durable);
    await lagBecomes({ pending: undefined, ackPending: undefined, redelivered: undefined });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE vigil_test_consumer_pending_messages gauge');
    expect(text).not.toContain('vigil_test_consumer_pending_messages{');
    expect(text).toMatch(/^vigil_test_messages_total\{consumer="test-lag",outcome="acked"\} 7$/m);
  });
});
