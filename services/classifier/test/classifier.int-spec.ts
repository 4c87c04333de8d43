import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadEnv } from '@vigil/config';
import { AcceptedEventV1, ClassifiedEventV1, SchemaIds, StreamNames, Subjects } from '@vigil/contracts';
import { createServiceApp } from '@vigil/runtime';
import {
  createTestDatabase,
  createTestNats,
  TEST_NATS_URL,
  TestDatabase,
  TestNats,
  waitFor,
} from '@vigil/testing';
import { ClassifierEnv } from '../src/classifier.env';
import { classifierService } from '../src/service';

function accepted(overrides: Partial<AcceptedEventV1>): AcceptedEventV1 {
  const now = new Date().toISOString();
  return {
    schema: SchemaIds.AcceptedEventV1,
    id: randomUUID(),
    source: 'demo',
    node: 'web-1',
    type: 'DiskFull',
    summary: 'disk full',
    severity: 'major',
    occurredAt: now,
    receivedAt: now,
    labels: {},
    attributes: {},
    fingerprint: 'fp',
    origin: { via: 'http' },
    ...overrides,
  };
}

describe('classifier (real NATS)', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createTestNats();
    const env = loadEnv(ClassifierEnv, {
      DATABASE_URL: database.url,
      NATS_URL: TEST_NATS_URL,
      VIGIL_SUBJECT_PREFIX: nats.prefix,
      LOG_LEVEL: 'error',
    });
    app = await createServiceApp(classifierService, env);
  });

  afterAll(async () => {
    await app?.close();
    await nats?.cleanup();
    await database?.drop();
  });

  it('publishes each accepted event to events.classified.<category> under the same id', async () => {
    const plain = accepted({});
    const security = accepted({ category: 'security' });
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
