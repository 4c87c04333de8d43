import { SERVICE_NAMES, ServiceName } from '@vigil/config';
import { freePort, ServiceProcess } from '@vigil/launcher';
import { Provisioner } from '@vigil/messaging';
import { Consumers, STREAMS } from '@vigil/contracts';
import { createTestDatabase, TestDatabase } from './test-database';
import { createTestNats, TestNats } from './test-nats';
import { TEST_NATS_URL } from './environment';
import { HttpSink } from './http-sink';

export interface TestPlatform {
  /** Ingest's syslog port, UDP and TCP. */
  syslogPort: number;
  /** The webhook receiver the notifier is configured with (`NOTIFIER_WEBHOOK_URLS`). */
  sink: HttpSink;
  database: TestDatabase;
  nats: TestNats;
  services: Record<ServiceName, ServiceProcess>;
  url(service: ServiceName): string;
  /** Stops every service gracefully, the sink, deletes the streams and drops the database. */
  stop(): Promise<void>;
}

/**
 * The five services as real processes (from dist/), on free ports, with a private database and
 * subject prefix, and a real webhook receiver: what `npm start` runs, isolated for one test file.
 */
export interface TestPlatformOptions {
  /** Variables added to (or overriding) a service's environment. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Arguments for a service's node process. */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const sink = await new HttpSink().start();
  const database = await createTestDatabase();
  const nats = await createTestNats();
  // Provision everything first, as `vigil start` and the Helm hook do, so no service races another.
  const provisioner = new Provisioner(nats.client);
  await provisioner.ensureStreams(STREAMS);
  await provisioner.ensureConsumers(Object.values(Consumers));

  const services = {} as Record<ServiceName, ServiceProcess>;
  const syslogPort = await freePort();
  // Anonymous HTTP producers are allowed unless a test asks for keys; syslog on a port of its own.
  const serviceDefaults: Partial<Record<ServiceName, Record<string, string>>> = {
    ingest: {
      INGEST_AUTH: 'optional',
      SYSLOG_UDP_PORT: String(syslogPort),
      SYSLOG_TCP_PORT: String(syslogPort),
    },
  };
  for (const name of SERVICE_NAMES) {
    services[name] = new ServiceProcess({
      name,
      port: await freePort(),
      env: {
        NATS_URL: TEST_NATS_URL,
        DATABASE_URL: database.url,
        VIGIL_SUBJECT_PREFIX: nats.prefix,
        LOG_LEVEL: 'warn',
        NOTIFIER_WEBHOOK_URLS: `${sink.url}/hook`,
        ...serviceDefaults[name],
        ...options.env?.[name],
      },
      nodeArgs: options.nodeArgs?.[name],
    });
  }
  const platform: TestPlatform = {
    syslogPort,
    sink,
    database,
    nats,
    services,
    url: (name) => services[name].url,
    async stop() {
      await Promise.allSettled(Object.values(services).map((s) => s.stop()));
      await sink.stop();
      await nats.cleanup();
      await database.drop();
    },
  };
  try {
    for (const service of Object.values(services)) service.start();
    await Promise.all(Object.values(services).map((s) => s.waitUntilReady()));
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}
