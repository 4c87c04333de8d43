import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Command, Option } from 'commander';
import { ConnectionEnv, EnvValidationError, loadEnv } from '@vigil/config';
import { messagingOptionsFromEnv } from '@vigil/messaging';
import { runMigrations } from '@vigil/persistence';
import { createApiKey, listApiKeys, revokeApiKey } from './commands/apikey.command';
import { provisionAll } from './commands/provision.command';
import { replay } from './commands/replay.command';
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
    await provisionAll(messagingOptionsFromEnv(loadEnv(ConnectionEnv)));
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
  .addOption(new Option('--api-key <key>', 'API key for --http').env('VIGIL_API_KEY'))
  .option('--no-validate', 'send even if the event is invalid (to exercise rejection)')
  .action(send);

const apikey = program
  .command('apikey')
  .description("manage HTTP producers' API keys (stored hashed in Postgres)");

apikey
  .command('create')
  .description('create a key; it is printed once and cannot be shown again')
  .requiredOption('--name <name>', 'who or what uses it, e.g. "billing-api prod"')
  .requiredOption('-s, --source <source>', 'a source the key may send as (repeatable)', collect, [])
  .option('--rate <events-per-second>', 'rate limit for this key (default: INGEST_RATE_PER_SECOND)')
  .option('--json', 'print the key and its details as JSON')
  .action(createApiKey);

apikey
  .command('list')
  .description('list keys (never their secrets)')
  .option('--all', 'include revoked keys')
  .option('--json', 'print JSON')
  .action(listApiKeys);

apikey
  .command('revoke')
  .description('revoke a key by its id (the part after "vk_")')
  .argument('<id>')
  .action(revokeApiKey);

program
  .command('replay')
  .description('send archived messages back into the pipeline after a fix')
  .addOption(
    new Option(
      '--from <archive>',
      'rejected: refused producer events; deadletter: messages a consumer gave up on',
    )
      .choices(['rejected', 'deadletter'])
      .makeOptionMandatory(),
  )
  .option('--source <source>', 'only rejected events of this source')
  .option('--consumer <durable>', 'only dead letters of this consumer, e.g. classifier-accepted')
  .option('--since <time>', 'only messages archived at or after this RFC 3339 time')
  .option('--limit <n>', 'at most this many messages')
  .option('--dry-run', 'say what would be replayed, send nothing')
  .option('--delete', 'remove each replayed message from its archive')
  .action(
    async (options: {
      from: 'rejected' | 'deadletter';
      source?: string;
      consumer?: string;
      since?: string;
      limit?: string;
      dryRun?: boolean;
      delete?: boolean;
    }) => {
      const since = options.since === undefined ? undefined : new Date(options.since);
      if (since && Number.isNaN(since.getTime()))
        fail(`--since must be an RFC 3339 time (got "${options.since}")`);
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
        fail(`--limit must be a positive whole number (got "${options.limit}")`);
      }
      const summary = await replay(loadEnv(ConnectionEnv), { ...options, since, limit });
      const verb = options.dryRun ? 'would replay' : 'replayed';
      say(`examined ${summary.examined}, ${verb} ${summary.replayed}, skipped ${summary.skipped.length}`);
      for (const skipped of summary.skipped) say(`  skipped #${skipped.seq}: ${skipped.reason}`);
      if (summary.lastSeq !== undefined) say(`last archive sequence examined: ${summary.lastSeq}`);
    },
  );

program
  .command('schema')
  .description("print the producer event's JSON Schema")
  .option('--write', 'refresh libs/contracts/schema/producer-event.v1.json instead')
  .action((options: { write?: boolean }) => schema({ write: options.write === true }));

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof EnvValidationError) fail(error.message);
  fail(error instanceof Error ? error.message : String(error));
});
