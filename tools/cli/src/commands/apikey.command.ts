import { ConnectionEnv, loadEnv } from '@vigil/config';
import { ApiKeyInfo, ApiKeyRepository, createDataSource } from '@vigil/persistence';
import { say } from '../output';

async function withKeys<T>(work: (keys: ApiKeyRepository) => Promise<T>): Promise<T> {
  const dataSource = createDataSource({
    url: loadEnv(ConnectionEnv).DATABASE_URL,
    applicationName: 'vigil-cli',
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    return await work(new ApiKeyRepository(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

function describe(key: ApiKeyInfo): string {
  const rate = key.ratePerSecond ? `, ${key.ratePerSecond} events/s` : '';
  const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
  return `${key.id}  ${key.name}  sources: ${key.sources.join(',')}${rate}  created ${key.createdAt.toISOString()}  ${state}`;
}

export interface CreateKeyOptions {
  name: string;
  source: string[];
  rate?: string;
  json?: boolean;
}

/** Prints the key once: only its hash is stored, so it cannot be shown again. */
export async function createApiKey(options: CreateKeyOptions): Promise<void> {
  const ratePerSecond = options.rate === undefined ? undefined : Number(options.rate);
  if (ratePerSecond !== undefined && !(Number.isInteger(ratePerSecond) && ratePerSecond > 0)) {
    throw new Error(`--rate must be a positive whole number of events per second (got "${options.rate}")`);
  }
  const created = await withKeys((keys) =>
    keys.create({ name: options.name, sources: options.source, ratePerSecond }),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(created)}\n`);
    return;
  }
  say(`created API key ${created.id} "${created.name}" for sources ${created.sources.join(', ')}`);
  say('the key is shown this once; store it now:');
  process.stdout.write(`${created.key}\n`);
}

export async function listApiKeys(options: { all?: boolean; json?: boolean }): Promise<void> {
  const keys = await withKeys((keys) => keys.list({ includeRevoked: options.all === true }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(keys)}\n`);
    return;
  }
  if (!keys.length) say(options.all ? 'no API keys' : 'no active API keys');
  for (const key of keys) process.stdout.write(`${describe(key)}\n`);
}

/** Takes effect at once for new lookups; ingest replicas that cached the key drop it within 30 s. */
export async function revokeApiKey(id: string): Promise<void> {
  const revoked = await withKeys((keys) => keys.revoke(id));
  if (!revoked) throw new Error(`no API key with id "${id}"`);
  say(`revoked ${describe(revoked)}`);
}
