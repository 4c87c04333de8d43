import { Stats } from 'node:fs';
import { chmod, copyFile, lchown, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/** How many file operations run at once: node_modules has ~20k files, one at a time is slow. */
const PARALLEL = 32;

function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export interface CopyOptions {
  /**
   * Whether to copy an entry, by its path relative to the tree being copied. `'descend'` walks into
   * an excluded directory without copying it, for .dockerignore exceptions (`!dir/keep`) below it.
   */
  filter?: (relative: string, isDirectory: boolean) => 'copy' | 'skip' | 'descend';
  /** Keep the source's owners (COPY --from does); otherwise copies belong to this process (root). */
  preserveOwner?: boolean;
  /** Receives every path created or replaced, for --chown and --chmod. */
  created?: string[];
}

/**
 * Copies the contents of the directory `source` into `dest` the way COPY does: `dest` is created
 * (0755) if missing and otherwise left as it is, entries below keep their modes, symbolic links
 * are copied as links, owners are reset unless `preserveOwner`. Merges into existing directories.
 */
export async function copyTree(source: string, dest: string, options: CopyOptions = {}): Promise<void> {
  const run = limiter(PARALLEL);
  const made = new Map<string, Promise<void>>();

  /** Creates `path` like `like` (mode, owner) unless it exists; once, however many entries ask. */
  function directory(path: string, like: Stats | undefined): Promise<void> {
    let done = made.get(path);
    if (!done) made.set(path, (done = create(path, like)));
    return done;
  }

  async function create(path: string, like: Stats | undefined): Promise<void> {
    if (await isDirectory(path)) return;
    await mkdir(path, { recursive: true, mode: 0o755 });
    options.created?.push(path);
    if (!like) return;
    await chmod(path, like.mode & 0o7777);
    if (options.preserveOwner) await lchown(path, like.uid, like.gid);
  }

  async function walk(from: string, to: string, relative: string): Promise<void> {
    const entries = await run(() => readdir(from, { withFileTypes: true }));
    await Promise.all(
      entries.map(async (entry) => {
        const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
        const decision = options.filter?.(childRelative, entry.isDirectory()) ?? 'copy';
        if (decision === 'skip') return;
        const fromPath = join(from, entry.name);
        const toPath = join(to, entry.name);
        if (entry.isDirectory()) {
          if (decision === 'copy') await directory(toPath, await run(() => lstat(fromPath)));
          await walk(fromPath, toPath, childRelative);
        } else if (decision === 'copy') {
          // Below an excluded directory only what is re-included exists, so its parents may be missing.
          await directory(to, undefined);
          await run(() => copyEntry(fromPath, toPath, options));
        }
      }),
    );
  }

  await directory(dest, undefined);
  await walk(source, dest, '');
}

/** Copies one file or symbolic link (not a directory), replacing what is at `to`. */
export async function copyEntry(from: string, to: string, options: CopyOptions = {}): Promise<void> {
  const stats = await lstat(from);
  if (stats.isSymbolicLink()) {
    const target = await readlink(from);
    await rm(to, { force: true, recursive: true });
    await symlink(target, to);
  } else if (stats.isFile()) {
    if (await isDirectory(to)) throw new Error(`cannot copy the file ${from} over the directory ${to}`);
    // copyFile keeps the source's mode (libuv fchmods the copy), whatever the umask.
    await copyFile(from, to);
  } else {
    throw new Error(`cannot copy ${from}: not a file, directory or symbolic link`);
  }
  if (options.preserveOwner) await lchown(to, stats.uid, stats.gid);
  options.created?.push(to);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}
