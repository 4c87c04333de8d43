import 'reflect-metadata';
import { DynamicModule, Logger, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseEnv, loadEnvOrExit, ServiceName, settingsFromEnvironment } from '@vigil/config';
import { connectJetStream, errorText } from '@vigil/messaging';
import { JsonLogger } from '@vigil/observability';
import { ConsumerLagMetrics } from './consumer-lag.metrics';
import { HttpErrorFilter, HttpErrorOptions } from './http-errors';
import { httpValidationPipe } from './http-validation';

export interface ServiceDefinition<E extends BaseEnv> {
  name: ServiceName;
  env: new () => E;
  module: (env: E) => DynamicModule;
  /**
   * Adjusts the HTTP server before Nest uses it. A service that registers its own body parsers
   * says so with `ownBodyParsers`, and Nest then adds none.
   */
  configureHttp?: (adapter: FastifyAdapter, env: E) => void;
  ownBodyParsers?: boolean;
  /** Adds to the application before it initialises: extra routes such as API documentation. */
  configureApp?: (app: NestFastifyApplication, env: E) => void;
  /** How refusals are shaped (see HttpErrorFilter); Nest's bodies unless said otherwise. */
  httpErrors?: HttpErrorOptions;
}

/**
 * A service application, initialised and with its transports attached but not yet listening:
 * NATS and Postgres answered, migrations were found current, streams and consumers provisioned.
 * Integration tests use it directly; `runService` adds `listen`.
 */
export async function createServiceApp<E extends BaseEnv>(
  definition: ServiceDefinition<E>,
  env: E,
  logger: LoggerService = new JsonLogger(definition.name, env.LOG_LEVEL),
): Promise<NestFastifyApplication> {
  // A path parameter may be as long as an action link's token (up to 1024 characters); Fastify's
  // default limit of 100 answers such links 414 URI Too Long.
  const adapter = new FastifyAdapter({ maxParamLength: 1024 });
  definition.configureHttp?.(adapter, env);
  const app = await NestFactory.create<NestFastifyApplication>(definition.module(env), adapter, {
    logger,
    bodyParser: !definition.ownBodyParsers,
  });
  app.useGlobalPipes(httpValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter(definition.httpErrors));
  // Exit 0 once drained: Nest's default re-raises the signal, so a graceful stop ended with status
  // 143, which looks the same as a process that had no handler at all.
  app.enableShutdownHooks([], { useProcessExit: true });
  definition.configureApp?.(app, env);
  await app.init();
  ConsumerLagMetrics.attach(app);
  connectJetStream(app);
  await app.startAllMicroservices();
  return app;
}

/**
 * How every Vigil service process starts: validated environment (a bad variable ends the process
 * with one line naming it), JSON logs, shutdown hooks so SIGTERM drains in-flight messages, the
 * JetStream transport, then HTTP. Consumers start only after every module initialised.
 */
export function runService<E extends BaseEnv>(definition: ServiceDefinition<E>): void {
  const { name } = definition;
  const env = loadEnvOrExit(definition.env, name);
  const logger = new JsonLogger(name, env.LOG_LEVEL);
  Logger.overrideLogger(logger);
  // Names only, like Grafana's "Config overridden from Environment variable": a deployment's checks
  // compare them with what they set, to find variables nothing reads any more.
  const fromEnvironment = settingsFromEnvironment(definition.env);
  new Logger('Bootstrap').log(`settings from the environment: ${fromEnvironment.join(', ') || 'none'}`);
  createServiceApp(definition, env, logger)
    .then(async (app) => {
      await app.listen(env.HTTP_PORT, '0.0.0.0');
      new Logger('Bootstrap').log(`${name} listening on http://0.0.0.0:${env.HTTP_PORT}`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`vigil-${name}: failed to start: ${errorText(error)}\n`);
      process.exit(1);
    });
}
