import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@vigil/config';

/** The repository root, found from this file whether it runs from src/ (tests) or dist/ (CLI). */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('cannot find the workspace root (no nx.json above this file)');
    dir = parent;
  }
  return dir;
}

/** The compiled entry point of a service (`npm run build` writes it). */
export function serviceEntry(name: ServiceName, root = workspaceRoot()): string {
  return join(root, 'dist', 'services', name, 'src', 'main.js');
}

export interface ServiceProcessOptions<N extends string = ServiceName> {
  /** A service (whose compiled entry point is started), or with `command` any label. */
  name: N;
  env: Record<string, string>;
  /** The port it listens on (set as HTTP_PORT) and is probed at; none for a command that serves nothing. */
  port?: number;
  /** Extra arguments for node itself, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). Not with `command`. */
  nodeArgs?: string[];
  /** Start in its own process group, so a terminal's Ctrl-C reaches only the supervisor. */
  detached?: boolean;
  /** Receives each output line; defaults to discarding it. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  root?: string;
  /**
   * What to run instead of the service's entry point, e.g. an image's ENTRYPOINT + CMD. The
   * program is looked up in `env.PATH` when `inheritEnv` is false.
   */
  command?: readonly string[];
  /** Working directory; default this process's. */
  cwd?: string;
  /** Run as this user and group (this process must be root); default this process's. */
  uid?: number;
  gid?: number;
  /** False: `env` (and HTTP_PORT) is the whole environment, nothing comes from this process. Default true. */
  inheritEnv?: boolean;
  /** The signal `stop()` sends, e.g. an image's STOPSIGNAL; default SIGTERM. */
  stopSignal?: NodeJS.Signals;
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * V8 limits for a service: a smaller young generation and a capped old one keep each process near
 * its working set (about 110 MB idle) instead of letting the heap grow to what the machine allows.
 * Source maps are left off: loading every dependency's maps costs about 20 MB per process.
 */
export const SERVICE_NODE_ARGS = ['--max-old-space-size=160', '--max-semi-space-size=8'];

/**
 * One service running as a child process: started, waited on until `/readyz` answers 200, stopped
 * with SIGTERM (graceful) or SIGKILL (crash), and restartable with the same environment. With
 * `command`, `cwd`, `uid`/`gid` and `inheritEnv: false` it runs any program the same way, e.g. an
 * image's command as its user (libs/testing's startImageProcess).
 */
export class ServiceProcess<N extends string = ServiceName> {
  private child?: ChildProcess;
  private exited?: Promise<ProcessExit>;
  private spawnError?: Error;
  readonly output: string[] = [];

  constructor(readonly options: ServiceProcessOptions<N>) {}

  get name(): N {
    return this.options.name;
  }

  get url(): string {
    if (this.options.port === undefined) throw new Error(`${this.name} has no port`);
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return (
      this.child !== undefined &&
      this.spawnError === undefined &&
      this.child.exitCode === null &&
      this.child.signalCode === null
    );
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const { options } = this;
    const [program, ...args] = options.command ?? this.serviceCommand();
    if (program === undefined) throw new Error(`${this.name}: empty command`);
    const child = spawn(program, args, {
      env: {
        ...(options.inheritEnv === false ? {} : process.env),
        ...options.env,
        ...(options.port === undefined ? {} : { HTTP_PORT: String(options.port) }),
      },
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    });
    this.child = child;
    this.spawnError = undefined;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // A program that cannot be started (missing, not executable, cwd unreachable) never exits.
      child.once('error', (error) => {
        this.spawnError = error;
        this.output.push(`${this.name}: cannot start ${program}: ${error.message}`);
        resolve({ code: null, signal: null });
      });
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      child[stream]?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          this.output.push(line);
          if (this.output.length > 2000) this.output.shift();
          this.options.onLine?.(line, stream);
        }
      });
    }
  }

  private serviceCommand(): string[] {
    const name: string = this.name;
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`${name} is not a service: give a command to run`);
    }
    const entry = serviceEntry(name as ServiceName, this.options.root);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    return [process.execPath, ...SERVICE_NODE_ARGS, ...(this.options.nodeArgs ?? []), entry];
  }

  /** Resolves when `/readyz` answers 200; rejects if the process exits or the time runs out. */
  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.name} exited before it was ready:\n${this.output.slice(-20).join('\n')}`);
      }
      try {
        const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await delay(200);
    }
    throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.output.slice(-20).join('\n')}`);
  }

  /**
   * Sends `signal` (the `stopSignal` option, else SIGTERM) and waits for a graceful exit (SIGKILL
   * after `graceMs`), like `docker stop`. Returns the exit code (null if a signal ended it).
   */
  async stop(
    graceMs = 20_000,
    signal: NodeJS.Signals = this.options.stopSignal ?? 'SIGTERM',
  ): Promise<number | null> {
    return (await this.signal(signal, graceMs)).code;
  }

  /** A crash: no shutdown hooks, nothing drained. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  /** Waits for the process to end by itself; rejects (and kills it) after `timeoutMs`. */
  async waitForExit(timeoutMs = 60_000): Promise<ProcessExit> {
    if (!this.exited) throw new Error(`${this.name} was not started`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.child?.kill('SIGKILL');
        reject(
          new Error(
            `${this.name} still running after ${timeoutMs} ms:\n${this.output.slice(-20).join('\n')}`,
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<ProcessExit> {
    if (!this.child || !this.exited) return { code: null, signal: null };
    if (!this.running) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
