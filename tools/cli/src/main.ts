import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Command, Option } from 'commander';
import { ConnectionEnv, EnvValidationError, loadEnv } from '@vigil/config';
import { runMigrations } from '@vigil/persistence';
import { provisionAll } from './commands/provision.command';
import { schema } from './commands/schema.command';
import { send } from './commands/send.command';
import { start } from './commands/start.command';
import { cliLogger, fail, say } from './output';

Logger.overrideLogger(cliLogger);

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command('vigil')
  .description('Vigil event management: run the platform, send events, manage its state.')
  .showHelpAfterError();

program
  .command('start')
  .description('start NATS/Postgres fallbacks if needed, migrate, provision, and run the five services')
  .option('--no-logs', "do not print the services' JSON logs")
  .action((options: { logs: boolean }) => start(options));

program
  .command('migrate')
  .description('apply pending database migrations (creates the database if missing)')
  .action(async () => {
    const applied = await runMigrations(loadEnv(ConnectionEnv).DATABASE_URL);
    say(applied.length ? `applied ${applied.join(', ')}` : 'database schema is up to date');
  });

program
  .command('provision')
  .description('create or update the JetStream streams and durable consumers')
  .action(async () => {
    const env = loadEnv(ConnectionEnv);
    await provisionAll({
      servers: env.NATS_URL,
      prefix: env.VIGIL_SUBJECT_PREFIX,
      streamReplicas: env.NATS_STREAM_REPLICAS,
      producerDuplicateWindowSeconds: env.NATS_DUPLICATE_WINDOW_SECONDS,
    });
    say('streams and consumers are provisioned');
  });

program
  .command('send')
  .description('send one event, to NATS (events.raw.<source>) or with --http to the ingest API')
  .requiredOption('--source <source>', 'the producer, e.g. demo')
  .requiredOption('--node <node>', 'the host or resource, e.g. web-1')
  .requiredOption('--type <type>', 'what happened, e.g. DiskFull')
  .requiredOption(
    '--severity <severity>',
    'critical|major|minor|warning|indeterminate|cleared, an alias, or 0-5',
  )
  .option('--summary <text>', 'one human line (default: "<type> on <node>")')
  .option('--id <id>', "the producer's event id (a re-send with the same id is ignored)")
  .option('--fingerprint <key>', 'explicit de-duplication key')
  .option('--category <category>', 'business|os|operational|security|application|hardware|network')
  .option('--service <service>', 'owning service')
  .option('--environment <environment>', 'e.g. production')
  .option('--occurred-at <time>', 'RFC 3339 time it happened (default: now)')
  .option('-l, --label <key=value>', 'a label (repeatable)', collect, [])
  .addOption(new Option('--http [url]', 'POST to the ingest HTTP API (default http://127.0.0.1:8081)'))
  .option('--no-validate', 'send even if the event is invalid (to exercise rejection)')
  .action(send);

program
  .command('schema')
  .description("print the producer event's JSON Schema")
  .option('--write', 'refresh libs/contracts/schema/producer-event.v1.json instead')
  .action((options: { write?: boolean }) => schema({ write: options.write === true }));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof EnvValidationError) fail(error.message);
  fail(error instanceof Error ? error.message : String(error));
});
