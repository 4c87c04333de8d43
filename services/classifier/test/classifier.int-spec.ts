import { ClassifiedEventV1, SchemaIds, StreamNames, Subjects } from '@vigil/contracts';
import { acceptedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { classifierService } from '../src/service';

describe('classifier (real NATS)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(classifierService);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('publishes each accepted event to events.classified.<category> under the same id', async () => {
    const { nats } = service;
    const plain = acceptedEvent({ source: 'demo' });
    const security = acceptedEvent({ source: 'demo', category: 'security' });
    for (const event of [plain, security]) {
      await nats.client.js.publish(
        nats.client.space.subject(Subjects.EventsAccepted, 'demo'),
        JSON.stringify(event),
        {
          msgID: event.id,
        },
      );
    }
    const classified = await waitFor('two classified events', async () => {
      const messages = await nats.readStream(StreamNames.EventsClassified);
      return messages.length === 2 ? messages : undefined;
    });
    const byId = new Map(classified.map((m) => [m.json<ClassifiedEventV1>().id, m]));
    expect(byId.get(plain.id)?.subject).toBe(
      nats.client.space.subject(Subjects.EventsClassified, 'operational'),
    );
    expect(byId.get(security.id)?.subject).toBe(
      nats.client.space.subject(Subjects.EventsClassified, 'security'),
    );
    expect(byId.get(plain.id)?.headers?.get('Nats-Msg-Id')).toBe(plain.id);
    expect(byId.get(plain.id)?.json<ClassifiedEventV1>()).toMatchObject({
      schema: SchemaIds.ClassifiedEventV1,
      category: 'operational',
      classification: { ruleSet: 'default', matchedRules: [] },
    });
  });
});
