import { join } from 'node:path';
import {
  ConnectionEnv,
  loadEnv,
  SERVICE_NAMES,
  SERVICE_PORTS,
  ServiceName,
  SYSLOG_PORT,
} from '@vigil/config';
import { ServiceProcess, workspaceRoot } from '@vigil/launcher';
import { messagingOptionsFromEnv, redactNatsServers } from '@vigil/messaging';
import { redactUrl, runMigrations } from '@vigil/persistence';
import { Dependency, resolveNats, resolvePostgres } from '../dependencies';
import { provisionAll } from './provision.command';
import { say } from '../output';

const ROLES: Record<ServiceName, string> = {
  query: "operators' API: /api/v1 (docs at /api/docs)",
  ingest: `producers: HTTP (docs at /api/docs), NATS events.raw.<source>, syslog udp+tcp ${SYSLOG_PORT}`,
  classifier: 'events.accepted → events.classified',
  correlator: 'events.classified → alerts, alerts.changed',
  notifier: 'alerts.changed → webhooks',
};

/** Stop intake first, the read side last, so in-flight events drain through the pipeline. */
const STOP_ORDER: ServiceName[] = ['ingest', 'classifier', 'correlator', 'notifier', 'query'];

function describe(dependency: Dependency, redact: (url: string) => string): string {
  const url = redact(dependency.url);
  return dependency.note ? `${url} (${dependency.note})` : url;
}

export interface StartOptions {
  logs: boolean;
}

/**
 * `vigil start` (`npm start`): NATS and Postgres (or their fallbacks), migrations, streams and
 * consumers, then the five services as child processes. Ctrl-C stops them gracefully.
 */
export async function start(options: StartOptions): Promise<void> {
  const env = loadEnv(ConnectionEnv);
  const dataDir = join(workspaceRoot(), '.vigil');
  const dependencies: Dependency[] = [];
  const services: ServiceProcess[] = [];
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const name of STOP_ORDER) await services.find((s) => s.name === name)?.stop();
    for (const dependency of dependencies.reverse()) await dependency.stop();
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  // If vigil itself dies, the services (in their own process groups) must not outlive it.
  process.once('exit', () => {
    for (const service of services) if (service.running) process.kill(service.pid ?? 0, 'SIGTERM');
  });

  try {
    const nats = await resolveNats(process.env.NATS_URL ? env.NATS_URL : undefined, dataDir);
    dependencies.push(nats);
    say(`NATS      ${describe(nats, redactNatsServers)}`);
    const postgres = await resolvePostgres(process.env.DATABASE_URL ? env.DATABASE_URL : undefined, dataDir);
    dependencies.push(postgres);
    say(`Postgres  ${describe(postgres, redactUrl)}`);

    const applied = await runMigrations(postgres.url);
    say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');
    await provisionAll({ ...messagingOptionsFromEnv(env), servers: nats.url });
    say(
      `streams and consumers provisioned${env.VIGIL_SUBJECT_PREFIX ? ` (prefix ${env.VIGIL_SUBJECT_PREFIX})` : ''}`,
    );

    for (const name of SERVICE_NAMES) {
      const service = new ServiceProcess({
        name,
        // Its own process group: Ctrl-C reaches only vigil, which stops the services in order.
        detached: true,
        port: SERVICE_PORTS[name],
        env: {
          NATS_URL: nats.url,
          DATABASE_URL: postgres.url,
          VIGIL_SUBJECT_PREFIX: env.VIGIL_SUBJECT_PREFIX,
          LOG_LEVEL: env.LOG_LEVEL,
          // A platform on one's own machine takes anonymous HTTP events (keys are still checked when
          // presented); a deployment requires keys unless told otherwise (the Helm chart does).
          ...(name === 'ingest' && !process.env.INGEST_AUTH ? { INGEST_AUTH: 'optional' } : {}),
        },
        onLine: (line, stream) => {
          if (options.logs) (stream === 'stderr' ? process.stderr : process.stdout).write(`${line}\n`);
        },
      });
      services.push(service);
      service.start();
    }
    await Promise.all(services.map((s) => s.waitUntilReady(60_000)));
  } catch (error) {
    say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
    return;
  }

  for (const service of services) {
    say(`${service.name.padEnd(10)} ${service.url.padEnd(22)} ${ROLES[service.name]}`);
  }
  if (!process.env.INGEST_AUTH) {
    say(
      'HTTP ingest accepts events without an API key here (INGEST_AUTH=optional); `vigil apikey create` makes one',
    );
  }
  say('all five services ready; Ctrl-C stops them');

  const watch = setInterval(() => {
    const dead = services.find((s) => !s.running);
    if (dead && !stopping) {
      clearInterval(watch);
      say(`${dead.name} exited unexpectedly; stopping the platform:\n${dead.output.slice(-15).join('\n')}`);
      void shutdown(1);
    }
  }, 500);
}
