import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@vigil/config';

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

export interface ServiceProcessOptions {
  name: ServiceName;
  env: Record<string, string>;
  port: number;
  /** Extra arguments for node itself, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** Start in its own process group, so a terminal's Ctrl-C reaches only the supervisor. */
  detached?: boolean;
  /** Receives each output line; defaults to discarding it. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  root?: string;
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
 * with SIGTERM (graceful) or SIGKILL (crash), and restartable with the same environment.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly output: string[] = [];

  constructor(readonly options: ServiceProcessOptions) {}

  get name(): ServiceName {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const entry = serviceEntry(this.name, this.options.root);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, ...(this.options.nodeArgs ?? []), entry], {
      env: { ...process.env, ...this.options.env, HTTP_PORT: String(this.options.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.options.detached ?? false,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
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

  /** SIGTERM and wait for a graceful exit (SIGKILL after `graceMs`). Returns the exit code. */
  async stop(graceMs = 20_000): Promise<number | null> {
    return this.signal('SIGTERM', graceMs);
  }

  /** A crash: no shutdown hooks, nothing drained. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<number | null> {
    if (!this.child || !this.running) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      return await this.exited!;
    } finally {
      clearTimeout(timer);
    }
  }
}
