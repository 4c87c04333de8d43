import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseEnv, loadEnv } from '@vigil/config';
import { messagingOptionsFromEnv } from '@vigil/messaging';
import { createServiceApp, ServiceDefinition } from '@vigil/runtime';
import { TEST_NATS_URL, uniquePrefix } from './environment';
import { createTestDatabase, TestDatabase } from './test-database';
import { createTestNats, TestNats } from './test-nats';

export interface TestService {
  app: NestFastifyApplication;
  database: TestDatabase;
  nats: TestNats;
  /** The HTTP base URL (the service listens on a free port on 127.0.0.1). */
  url: string;
  /** Closes the service (draining its consumers), then removes its streams and database. */
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  /**
   * Starts another replica against this service's database and subject prefix instead of private
   * ones. Its `stop()` then only closes its own application: stop it before the service it shares
   * with, which removes the streams and database.
   */
  shareWith?: TestService;
}

/**
 * One service in this process, started the way `runService` starts it, against the real NATS and
 * Postgres with a private database and subject prefix. `env` adds or overrides variables (with
 * `NATS_URL` and credentials, e.g. a `startPrivateNats` server).
 */
export async function startTestService<E extends BaseEnv>(
  definition: ServiceDefinition<E>,
  env: Record<string, string> = {},
  options: TestServiceOptions = {},
): Promise<TestService> {
  const shared = options.shareWith;
  const database = shared?.database ?? (await createTestDatabase());
  const prefix = shared?.nats.prefix ?? uniquePrefix();
  let nats = shared?.nats;
  let app: NestFastifyApplication | undefined;
  const stop = async () => {
    await app?.close();
    if (shared) return;
    await nats?.cleanup();
    await database.drop();
  };
  try {
    const serviceEnv = loadEnv(definition.env, {
      DATABASE_URL: database.url,
      NATS_URL: TEST_NATS_URL,
      VIGIL_SUBJECT_PREFIX: prefix,
      LOG_LEVEL: 'error',
      ...env,
    });
    // The test's own connection reaches the server the service uses, with the same credentials.
    nats ??= await createTestNats(prefix, messagingOptionsFromEnv(serviceEnv));
    app = await createServiceApp(definition, serviceEnv);
    await app.listen(0, '127.0.0.1');
    return { app, database, nats, url: await app.getUrl(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
