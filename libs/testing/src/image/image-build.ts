import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, lchown, lstat, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve as resolvePath } from 'node:path';
import ignore from '@balena/dockerignore';
import {
  BuildStep,
  DockerfilePlan,
  ImageUser,
  parseUser,
  planDockerfile,
  SkippedStep,
  StagePlan,
} from './dockerfile-plan';
import { copyTree } from './tree-copy';

export interface BuildImageOptions {
  /** The Dockerfile's path. */
  dockerfile: string;
  /** The build context directory (`docker build <context>`). */
  context: string;
  /**
   * An empty directory for the stages' root directories (`<workDir>/<stage>` stands for that
   * stage's `/`). It is made 0755 so that the image's unprivileged user can reach the app.
   */
  workDir: string;
  /** Stages to build (with what they need), by name or index; default every stage. */
  targets?: string[];
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** Default `<dockerfile>.dockerignore`, else `<context>/.dockerignore` (BuildKit's order). */
  ignoreFile?: string;
  /**
   * The environment this machine gives RUN steps in place of the base image's ENV (the ARGs and ENV
   * of the stage come on top). Default: PATH, HOME (npm's cache stands in for a cache mount), the
   * locale, the temporary directory, proxy and CA settings of this process — never NODE_ENV.
   */
  hostEnv?: Record<string, string>;
  /** Receives the build's log: steps, skipped steps and the RUN commands' output. */
  onLog?: (line: string) => void;
}

/** One built target stage: its directories and what `docker inspect` would show of its config. */
export interface ImageTarget {
  stage: string;
  /** The directory standing for the image's `/` (stages without file changes share their base's). */
  root: string;
  /** WORKDIR, as a path in the image. */
  workdir: string;
  /** WORKDIR on this machine: `<root><workdir>`, the app directory. */
  workdirPath: string;
  /** USER as written (`''` if unset). */
  userSpec: string;
  user: ImageUser;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  /** ENTRYPOINT + CMD: what `docker run <image>` runs. */
  command: string[];
  expose: string[];
  /** STOPSIGNAL, or Docker's default SIGTERM. */
  stopSignal: NodeJS.Signals;
  labels: Record<string, string>;
  /** Base image steps not run here, of this stage and the stages it is built FROM. */
  skipped: SkippedStep[];
}

export interface ImageBuild {
  plan: DockerfilePlan;
  targets: Record<string, ImageTarget>;
  /** A target by stage name; throws if it was not built. */
  target(name: string): ImageTarget;
  /** Every base image step left out, in Dockerfile order. */
  skipped: SkippedStep[];
  durationMs: number;
  /** Milliseconds per built stage. */
  stageDurations: Record<string, number>;
}

/** The path on this machine of a path in the target's image (absolute, or relative to WORKDIR). */
export function imagePath(target: ImageTarget, path: string): string {
  return inRoot(target.root, posix.resolve(target.workdir, path));
}

/** What `docker run <image> [args…]` runs: ENTRYPOINT, then the arguments or else CMD. */
export function imageCommand(target: ImageTarget, args?: string[]): string[] {
  return [...target.entrypoint, ...(args ?? target.cmd)];
}

/** Only root can give files to other owners; otherwise they belong to whoever builds. */
const asRoot = process.getuid?.() === 0;

/**
 * The PATH of the Debian-based node images, with the directory of the node running this process
 * first (it stands in for the image's): nothing of a developer's PATH, such as the repository's
 * node_modules/.bin that `npx` and `npm run` add, which would hide a tool missing from the image.
 */
export function imageSearchPath(): string {
  const standard = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  return [...new Set([dirname(process.execPath), ...standard])].join(':');
}

const HOST_ENV =
  /^(HOME|TMPDIR|LANG|LC_ALL|(HTTPS?|NO|ALL|FTP)_PROXY|(https?|no|all|ftp)_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR)$/;

/** What RUN steps get from this machine by default: see BuildImageOptions.hostEnv. */
export function defaultHostEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: imageSearchPath() };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && HOST_ENV.test(name)) env[name] = value;
  }
  return env;
}

/**
 * "Builds" a Dockerfile without Docker, into plain directories: every stage gets a root directory
 * under `workDir` (absolute paths map into it), COPY copies from the context (honouring the
 * .dockerignore) or from an earlier stage's root, RUN runs with `/bin/sh -c` in the mapped
 * WORKDIR. This machine stands in for the base images: RUNs before a stage's first WORKDIR
 * (system preparation, e.g. removing npm) are not run but listed in `skipped`. Stages built FROM
 * an earlier stage share its directory until they change a file, so targets that only add
 * metadata cost nothing. See planDockerfile for what is refused.
 */
export async function buildImageFromDockerfile(options: BuildImageOptions): Promise<ImageBuild> {
  const started = Date.now();
  const log = options.onLog ?? (() => undefined);
  const plan = planDockerfile(await readFile(options.dockerfile, 'utf8'), { buildArgs: options.buildArgs });
  const targetNames = options.targets ?? plan.stages.map((s) => s.name);
  const targetStages = targetNames.map((name) => plan.stage(name));
  const needed = neededStages(plan, targetStages);
  const context = resolvePath(options.context);
  const workDir = resolvePath(options.workDir);
  await prepareWorkDir(workDir);
  const contextFilter = await loadIgnore(options, context);
  const hostEnv = options.hostEnv ?? defaultHostEnv();

  const roots = new Map<number, string>();
  const stageDurations: Record<string, number> = {};
  for (const stage of plan.stages) {
    if (!needed.has(stage.index)) continue;
    const stageStarted = Date.now();
    const own = join(workDir, /^\d+$/.test(stage.name) ? `stage-${stage.name}` : stage.name);
    let root: string;
    let owned: boolean;
    if (stage.base.kind === 'image') {
      log(`[${stage.name}] FROM ${stage.base.image}: this machine stands in for the base image`);
      await mkdir(own, { mode: 0o755 });
      await chmod(own, 0o755);
      root = own;
      owned = true;
    } else {
      root = roots.get(stage.base.stage)!;
      owned = false;
    }
    for (const skipped of stage.skipped)
      log(`[${stage.name}] line ${skipped.line} skipped: ${skipped.instruction}`);

    /** A stage that changes files gets its own copy of its base stage's first. */
    const writableRoot = async (): Promise<string> => {
      if (!owned) {
        log(`[${stage.name}] copying the files of the stage it is built FROM`);
        await copyTree(root, own, { preserveOwner: asRoot });
        await chmod(own, 0o755);
        root = own;
        owned = true;
      }
      return root;
    };

    for (const step of stage.steps) {
      const where = `[${stage.name}] line ${step.line}`;
      switch (step.kind) {
        case 'workdir':
          if (!(await isDirectory(inRoot(root, step.path)))) {
            log(`${where} WORKDIR ${step.path}`);
            await makeDirectories(await writableRoot(), step.path, step.owner);
          }
          break;
        case 'copy':
          log(
            `${where} COPY ${step.from.kind === 'stage' ? `--from=${plan.stages[step.from.stage].name} ` : ''}${step.sources.join(' ')} ${step.dest}`,
          );
          await copyStep(step, await writableRoot(), (index) => roots.get(index)!, context, contextFilter);
          break;
        case 'run':
          log(
            `${where} RUN ${step.argv.join(' ')}${step.ignoredFlags.length ? ` (without ${step.ignoredFlags.join(' ')})` : ''}`,
          );
          await runStep(step, await writableRoot(), hostEnv, where, log);
          break;
      }
    }
    roots.set(stage.index, root);
    stageDurations[stage.name] = Date.now() - stageStarted;
    log(`[${stage.name}] done in ${stageDurations[stage.name]} ms`);
  }

  const targets: Record<string, ImageTarget> = {};
  for (const stage of targetStages)
    targets[stage.name] = describeTarget(plan, stage, roots.get(stage.index)!);
  const skipped = plan.stages.filter((s) => needed.has(s.index)).flatMap((s) => s.skipped);
  return {
    plan,
    targets,
    target(name) {
      const found = targets[name.toLowerCase()];
      if (!found) throw new Error(`stage ${name} was not built (built: ${Object.keys(targets).join(', ')})`);
      return found;
    },
    skipped,
    durationMs: Date.now() - started,
    stageDurations,
  };
}

function describeTarget(plan: DockerfilePlan, stage: StagePlan, root: string): ImageTarget {
  const { config } = stage;
  const user = config.user;
  return {
    stage: stage.name,
    root,
    workdir: config.workdir,
    workdirPath: inRoot(root, config.workdir),
    userSpec: user,
    user: parseUser(user, () => {
      throw new Error(`stage ${stage.name}: USER ${user} is not numeric`);
    }),
    env: { ...config.env },
    entrypoint: [...config.entrypoint],
    cmd: [...config.cmd],
    command: [...config.entrypoint, ...config.cmd],
    expose: [...config.expose],
    stopSignal: config.stopSignal ?? 'SIGTERM',
    labels: { ...config.labels },
    skipped: plan.skippedFor(stage),
  };
}

/** The target stages and every stage they are built FROM or COPY --from. */
function neededStages(plan: DockerfilePlan, targets: StagePlan[]): Set<number> {
  const needed = new Set<number>();
  const visit = (index: number) => {
    if (needed.has(index)) return;
    needed.add(index);
    for (const dependency of plan.stages[index].dependsOn) visit(dependency);
  };
  for (const target of targets) visit(target.index);
  return needed;
}

/** `<root>/<path>`; `..` cannot climb out of the root. */
function inRoot(root: string, path: string): string {
  return join(root, posix.resolve('/', path));
}

async function prepareWorkDir(workDir: string): Promise<void> {
  await mkdir(workDir, { recursive: true });
  if ((await readdir(workDir)).length > 0)
    throw new Error(`${workDir} is not empty: the build needs a clean directory`);
  await chmod(workDir, 0o755);
  for (let dir = dirname(workDir); ; dir = dirname(dir)) {
    // Node would resolve modules from there, hiding a dependency missing from the image.
    if (existsSync(join(dir, 'node_modules'))) {
      throw new Error(`${join(dir, 'node_modules')} is above ${workDir}: build the image somewhere else`);
    }
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new Error(
        `${dir} is not searchable by other users, so the image's user could not reach ${workDir}`,
      );
    }
    if (dirname(dir) === dir) break;
  }
}

type ContextFilter = (relative: string, isDirectory: boolean) => 'copy' | 'skip' | 'descend';

async function loadIgnore(options: BuildImageOptions, context: string): Promise<ContextFilter> {
  const candidates = options.ignoreFile
    ? [options.ignoreFile]
    : [`${options.dockerfile}.dockerignore`, join(context, '.dockerignore')];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) return () => 'copy';
  const text = await readFile(file, 'utf8');
  const rules = ignore().add(text);
  // With `!` exceptions an excluded directory may still hold included files, so it is walked.
  const hasExceptions = text.split(/\r?\n/).some((line) => line.trim().startsWith('!'));
  return (relative, isDirectory) => {
    if (!rules.ignores(relative)) return 'copy';
    return isDirectory && hasExceptions ? 'descend' : 'skip';
  };
}

async function makeDirectories(
  root: string,
  path: string,
  owner: ImageUser,
  created?: string[],
): Promise<void> {
  let current = root;
  for (const segment of posix.resolve('/', path).split('/').filter(Boolean)) {
    current = join(current, segment);
    if (await isDirectory(current)) continue;
    await mkdir(current, { mode: 0o755 });
    await chmod(current, 0o755);
    if (asRoot) await lchown(current, owner.uid, owner.gid);
    created?.push(current);
  }
}

type CopyStep = Extract<BuildStep, { kind: 'copy' }>;

async function copyStep(
  step: CopyStep,
  root: string,
  stageRoot: (index: number) => string,
  context: string,
  contextFilter: ContextFilter,
): Promise<void> {
  const fromContext = step.from.kind === 'context';
  const sourceRoot = step.from.kind === 'context' ? context : stageRoot(step.from.stage);
  const included = (relative: string) =>
    !fromContext || relative === '' || contextFilter(relative, false) === 'copy';
  const where = `line ${step.line} (COPY)`;

  const matches: string[] = [];
  for (const source of step.sources) {
    const relative = posix.resolve('/', source).slice(1);
    if (/[*?[]/.test(relative)) {
      const found = await expandGlob(sourceRoot, relative, included);
      if (found.length === 0) throw new Error(`${where}: nothing matches ${source}`);
      matches.push(...found);
    } else if (!existsSync(join(sourceRoot, relative)) || !included(relative)) {
      throw new Error(
        `${where}: ${source} not found in ${fromContext ? 'the build context (or excluded by the .dockerignore)' : 'the source stage'}`,
      );
    } else {
      matches.push(relative);
    }
  }

  const destIsDirectory = step.dest === '.' || step.dest === '' || step.dest.endsWith('/');
  if (matches.length > 1 && !destIsDirectory) {
    throw new Error(`${where}: with several sources the destination must be a directory ending in /`);
  }
  const dest = posix.resolve(step.workdir, step.dest);
  const destPath = inRoot(root, dest);
  const created: string[] = [];
  const owner = step.owner ?? { uid: 0, gid: 0 };
  // COPY from the context gives root the files; COPY --from keeps their owners (BuildKit does).
  const preserveOwner = asRoot && !fromContext && !step.owner;

  for (const relative of matches) {
    const from = join(sourceRoot, relative);
    const stats = await stat(from); // a top-level symbolic link is followed, as COPY does
    if (stats.isDirectory()) {
      await makeDirectories(root, posix.dirname(dest), owner, created);
      const filter: ContextFilter | undefined = fromContext
        ? (child, isDirectory) => contextFilter(relative ? `${relative}/${child}` : child, isDirectory)
        : undefined;
      await copyTree(from, destPath, { filter, preserveOwner, created });
    } else {
      const intoDirectory = destIsDirectory || (await isDirectory(destPath));
      const target = intoDirectory ? join(destPath, basename(relative)) : destPath;
      await makeDirectories(root, intoDirectory ? dest : posix.dirname(dest), owner, created);
      await copyFile(from, target);
      if (preserveOwner) await lchown(target, stats.uid, stats.gid);
      created.push(target);
    }
  }

  for (const path of created) {
    if (step.owner) await lchown(path, step.owner.uid, step.owner.gid);
    if (step.mode !== undefined && !(await lstat(path)).isSymbolicLink()) await chmod(path, step.mode);
  }
}

/** Paths (relative to `base`) matching a pattern of `*`, `?` and `[…]` per path segment. */
async function expandGlob(
  base: string,
  pattern: string,
  include: (relative: string) => boolean,
): Promise<string[]> {
  let current = [''];
  for (const segment of pattern.split('/')) {
    const next: string[] = [];
    for (const prefix of current) {
      if (!/[*?[]/.test(segment)) {
        const candidate = prefix ? `${prefix}/${segment}` : segment;
        if (existsSync(join(base, candidate))) next.push(candidate);
        continue;
      }
      const matcher = globSegment(segment);
      const dir = join(base, prefix);
      if (!(await isDirectory(dir))) continue;
      for (const name of (await readdir(dir)).sort()) {
        if (matcher.test(name)) next.push(prefix ? `${prefix}/${name}` : name);
      }
    }
    current = next;
  }
  return current.filter(include);
}

function globSegment(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) throw new Error(`bad pattern ${segment}`);
      source += `[${segment
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

type RunStep = Extract<BuildStep, { kind: 'run' }>;

/** Lines of a failed step's output shown in the error. */
const TAIL = 40;

function runStep(
  step: RunStep,
  root: string,
  hostEnv: Record<string, string>,
  where: string,
  log: (line: string) => void,
): Promise<void> {
  const cwd = inRoot(root, step.cwd);
  const tail: string[] = [];
  const asUser = step.user.uid !== 0 || step.user.gid !== 0 ? { uid: step.user.uid, gid: step.user.gid } : {};
  return new Promise((resolve, reject) => {
    // Docker runs steps with umask 0022; this process's umask must not decide the image's modes.
    const child = spawn('/bin/sh', ['-c', 'umask 0022 && exec "$@"', 'sh', ...step.argv], {
      cwd,
      env: { ...hostEnv, ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asUser,
    });
    const emit = (line: string) => {
      log(`${where} | ${line}`);
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
    };
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(emit);
      });
      stream.on('end', () => pending && emit(pending));
    }
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        reject(
          new Error(
            `${where}: RUN ${step.argv.join(' ')} failed (${signal ?? `exit code ${code}`}) in ${cwd}:\n${tail.join('\n')}`,
          ),
        );
      }
    });
  });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
