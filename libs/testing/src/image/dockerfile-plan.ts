import { constants } from 'node:os';
import { posix } from 'node:path';
import { DockerfileParser, Flag, Instruction } from 'dockerfile-ast';
import { expandWord, hostPathsIn, joinContinuations, splitWords } from './dockerfile-words';

/** A numeric user and group, as Kubernetes' runAsNonRoot needs them. */
export interface ImageUser {
  uid: number;
  gid: number;
}

/** What `docker inspect` would show of an image's config, as far as the Dockerfile decides it. */
export interface ImageConfig {
  /** Absolute path in the image; `/` until a WORKDIR. */
  workdir: string;
  /** USER as written (`''`: not set, so root). */
  user: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  /** `8081`, `5514/udp`, … */
  expose: string[];
  /** Normalised to a Node signal name; `undefined` if the Dockerfile sets none (Docker sends SIGTERM). */
  stopSignal?: NodeJS.Signals;
  labels: Record<string, string>;
}

/** A RUN that prepares the base image's system and is therefore not run on this machine. */
export interface SkippedStep {
  stage: string;
  /** 1-based line of the Dockerfile. */
  line: number;
  /** The instruction as written, continuations joined. */
  instruction: string;
  reason: string;
}

export type CopySource = { kind: 'context' } | { kind: 'stage'; stage: number };

export type BuildStep =
  | { kind: 'workdir'; line: number; path: string; owner: ImageUser }
  | {
      kind: 'copy';
      line: number;
      from: CopySource;
      /** As written after expansion: relative to the context, or absolute in the source stage. */
      sources: string[];
      /** As written after expansion; relative paths are relative to `workdir`. */
      dest: string;
      workdir: string;
      owner?: ImageUser;
      mode?: number;
    }
  | {
      kind: 'run';
      line: number;
      /** Exec form, or `['/bin/sh', '-c', text]` for the shell form. */
      argv: string[];
      /** Absolute path in the image. */
      cwd: string;
      /** The ARGs in scope and the ENV (ENV wins), not the host's: see BuildImageOptions.hostEnv. */
      env: Record<string, string>;
      user: ImageUser;
      /** BuildKit flags left out (`--mount=type=cache,…`), for the build log. */
      ignoredFlags: string[];
    };

export interface StagePlan {
  index: number;
  /** The `AS` name, or the index as a string for an unnamed stage. */
  name: string;
  base: { kind: 'image'; image: string } | { kind: 'stage'; stage: number };
  steps: BuildStep[];
  /** This stage's own skipped steps (not its base stage's). */
  skipped: SkippedStep[];
  config: ImageConfig;
  /** Stages whose files this one reads: its base stage and COPY --from sources. */
  dependsOn: number[];
}

export interface DockerfilePlan {
  stages: StagePlan[];
  /** A stage by name or index; throws if there is none. */
  stage(nameOrIndex: string | number): StagePlan;
  /** The skipped steps of a stage and of the stages it is built FROM, oldest first. */
  skippedFor(stage: StagePlan): SkippedStep[];
}

export interface PlanOptions {
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
}

export class DockerfileError extends Error {}

/** Instructions that only describe the image; everything else must be taught here first. */
const METADATA = new Set(['ARG', 'ENV', 'LABEL', 'USER', 'EXPOSE', 'STOPSIGNAL', 'CMD', 'ENTRYPOINT']);
const FILESYSTEM = new Set(['WORKDIR', 'COPY', 'RUN']);

interface StageState {
  config: ImageConfig;
  /** Build-time ARGs in scope (BuildKit passes them on to stages built FROM this one). */
  args: Map<string, string | undefined>;
  /** Whether a WORKDIR has been set in this stage or a stage it is built FROM. */
  hasWorkdir: boolean;
  /** Whether CMD was set in this stage (an ENTRYPOINT resets an inherited CMD, not this one). */
  cmdSetHere: boolean;
}

const emptyConfig = (): ImageConfig => ({
  workdir: '/',
  user: '',
  env: {},
  entrypoint: [],
  cmd: [],
  expose: [],
  labels: {},
});

const cloneConfig = (config: ImageConfig): ImageConfig => ({
  ...config,
  env: { ...config.env },
  entrypoint: [...config.entrypoint],
  cmd: [...config.cmd],
  expose: [...config.expose],
  labels: { ...config.labels },
});

/**
 * Parses a Dockerfile into stages of build steps and image configs, without touching the
 * filesystem. Refuses (throws, naming the line) every instruction, flag and form it does not
 * understand, so that a change to the Dockerfile cannot be silently left out of the build.
 *
 * RUNs before a stage's first WORKDIR (its own or inherited) are taken as preparing the base
 * image's system and are skipped (listed in `skipped`); a RUN after it runs in the stage's
 * directory and must not name host paths (absolute paths, `..`, `~`, `$HOME`).
 */
export function planDockerfile(text: string, options: PlanOptions = {}): DockerfilePlan {
  const dockerfile = DockerfileParser.parse(text);
  const escape = dockerfile.getEscapeCharacter();
  const buildArgs = options.buildArgs ?? {};
  const globalArgs = new Map<string, string | undefined>();
  const stages: StagePlan[] = [];
  const stageStates = new Map<number, StageState>();
  let state: StageState | undefined;
  let stage: StagePlan | undefined;

  const lineOf = (instruction: Instruction) => instruction.getRange().start.line + 1;
  const fail = (instruction: Instruction, message: string): never => {
    throw new DockerfileError(
      `Dockerfile line ${lineOf(instruction)} (${instruction.getKeyword()}): ${message}`,
    );
  };
  const argumentText = (instruction: Instruction) =>
    joinContinuations(instruction.getRawArgumentsContent() ?? '', escape);
  const lookup = (name: string): string | undefined => {
    if (!state) return globalArgs.get(name);
    return Object.hasOwn(state.config.env, name) ? state.config.env[name] : state.args.get(name);
  };
  const expand = (instruction: Instruction, word: string): string => {
    try {
      return expandWord(word, lookup, escape);
    } catch (error) {
      return fail(instruction, error instanceof Error ? error.message : String(error));
    }
  };
  const findStage = (reference: string): StagePlan | undefined =>
    /^\d+$/.test(reference)
      ? stages[Number(reference)]
      : stages.find((s) => s.name.toLowerCase() === reference.toLowerCase());

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      ({ stage, state } = fromInstruction(instruction));
      stages.push(stage);
      continue;
    }
    if (!state || !stage) {
      if (keyword !== 'ARG') fail(instruction, 'only ARG may come before the first FROM');
      for (const [name, value] of argDeclarations(instruction)) {
        globalArgs.set(name, Object.hasOwn(buildArgs, name) ? buildArgs[name] : value);
      }
      continue;
    }
    if (!METADATA.has(keyword) && !FILESYSTEM.has(keyword)) {
      fail(
        instruction,
        `${keyword} is not understood by buildImageFromDockerfile (libs/testing/src/image): ` +
          'teach it there before using it, so the image test keeps building what Docker builds',
      );
    }
    // Each keyword is handled below; the Set checks above keep the list of the understood ones in one place.
    switch (keyword) {
      case 'ARG':
        for (const [name, value] of argDeclarations(instruction)) {
          // `ARG NAME` without a value takes the global default of the same name.
          const fallback = value === undefined ? globalArgs.get(name) : value;
          state.args.set(name, Object.hasOwn(buildArgs, name) ? buildArgs[name] : fallback);
        }
        break;
      case 'ENV':
        Object.assign(state.config.env, keyValues(instruction));
        break;
      case 'LABEL':
        Object.assign(state.config.labels, keyValues(instruction));
        break;
      case 'USER': {
        const user = expand(instruction, argumentText(instruction));
        parseUser(user, () => fail(instruction, userProblem(user)));
        state.config.user = user;
        break;
      }
      case 'EXPOSE':
        for (const argument of instruction.getArguments()) {
          const port = expand(instruction, argument.getValue());
          if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/i.test(port)) fail(instruction, `not a port: ${port}`);
          if (!state.config.expose.includes(port)) state.config.expose.push(port);
        }
        break;
      case 'STOPSIGNAL':
        state.config.stopSignal = signalName(expand(instruction, argumentText(instruction)), instruction);
        break;
      case 'CMD':
        state.config.cmd = commandForm(instruction);
        state.cmdSetHere = true;
        break;
      case 'ENTRYPOINT':
        state.config.entrypoint = commandForm(instruction);
        // Docker: setting ENTRYPOINT resets a CMD inherited from the base image.
        if (!state.cmdSetHere) state.config.cmd = [];
        break;
      case 'WORKDIR': {
        const path = posix.resolve(state.config.workdir, expand(instruction, argumentText(instruction)));
        state.config.workdir = path;
        state.hasWorkdir = true;
        stage.steps.push({
          kind: 'workdir',
          line: lineOf(instruction),
          path,
          owner: currentUser(instruction),
        });
        break;
      }
      case 'COPY':
        stage.steps.push(copyStep(instruction));
        break;
      case 'RUN':
        runStep(instruction);
        break;
    }
  }

  if (stages.length === 0) throw new DockerfileError('Dockerfile has no FROM');

  function fromInstruction(instruction: Instruction): { stage: StagePlan; state: StageState } {
    rejectFlags(instruction, []);
    const words = instruction.getArguments().map((a) => a.getValue());
    if (words.length !== 1 && !(words.length === 3 && words[1].toUpperCase() === 'AS')) {
      fail(instruction, 'expected FROM <image> [AS <name>]');
    }
    state = undefined; // FROM sees only the global ARGs
    const image = expand(instruction, words[0]);
    const index = stages.length;
    const name = words[2]?.toLowerCase() ?? String(index);
    if (words[2] && findStage(name)) fail(instruction, `stage name ${name} is used twice`);
    const parent = /^\d+$/.test(image) ? undefined : findStage(image);
    if (parent) {
      const parentState = stageStates.get(parent.index)!;
      const inherited: StageState = {
        config: cloneConfig(parent.config),
        args: new Map(parentState.args),
        hasWorkdir: parentState.hasWorkdir,
        cmdSetHere: false,
      };
      return {
        stage: {
          index,
          name,
          base: { kind: 'stage', stage: parent.index },
          steps: [],
          skipped: [],
          config: inherited.config,
          dependsOn: [parent.index],
        },
        state: remember(index, inherited),
      };
    }
    const fresh: StageState = {
      config: emptyConfig(),
      args: new Map(),
      hasWorkdir: false,
      cmdSetHere: false,
    };
    return {
      stage: {
        index,
        name,
        base: { kind: 'image', image },
        steps: [],
        skipped: [],
        config: fresh.config,
        dependsOn: [],
      },
      state: remember(index, fresh),
    };
  }

  function argDeclarations(instruction: Instruction): [string, string | undefined][] {
    return splitWords(argumentText(instruction), escape).map((word) => {
      const eq = word.indexOf('=');
      if (eq < 0) return [word, undefined];
      const name = word.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(instruction, `bad ARG name ${name}`);
      return [name, expand(instruction, word.slice(eq + 1))];
    });
  }

  /** ENV and LABEL: `k=v k2="v 2"`, or the legacy `ENV NAME value with spaces`. */
  function keyValues(instruction: Instruction): Record<string, string> {
    const text = argumentText(instruction);
    const words = splitWords(text, escape);
    if (words.length === 0) fail(instruction, 'nothing to set');
    const values: Record<string, string> = {};
    if (!words[0].includes('=')) {
      const name = expand(instruction, words[0]);
      values[name] = expand(instruction, text.slice(text.indexOf(words[0]) + words[0].length).trim());
      return values;
    }
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq <= 0) fail(instruction, `expected key=value, got ${word}`);
      // Every value sees the variables as they were before this instruction, as in Docker.
      values[expand(instruction, word.slice(0, eq))] = expand(instruction, word.slice(eq + 1));
    }
    return values;
  }

  function commandForm(instruction: Instruction): string[] {
    rejectFlags(instruction, []);
    const text = argumentText(instruction);
    const exec = execForm(text);
    if (exec) return exec;
    if (!text) fail(instruction, 'no command');
    return ['/bin/sh', '-c', text];
  }

  function copyStep(instruction: Instruction): BuildStep {
    const flags = flagsOf(instruction);
    rejectFlags(instruction, ['from', 'chown', 'chmod', 'link']);
    if (heredocsOf(instruction) > 0) fail(instruction, 'here-documents are not supported');
    const text = argumentText(instruction);
    const words = (execForm(text) ?? instruction.getArguments().map((a) => a.getValue())).map((word) =>
      expand(instruction, word),
    );
    if (words.length < 2) fail(instruction, 'expected COPY <src>... <dest>');
    const fromFlag = flags.get('from');
    let from: CopySource = { kind: 'context' };
    if (fromFlag !== undefined) {
      const reference = expand(instruction, fromFlag ?? '');
      const source = findStage(reference);
      if (!source || source.index === stage!.index) {
        fail(instruction, `--from=${reference} is not an earlier stage (images are not supported)`);
      }
      from = { kind: 'stage', stage: source!.index };
      if (!stage!.dependsOn.includes(source!.index)) stage!.dependsOn.push(source!.index);
    }
    const chown = flags.get('chown');
    const chmod = flags.get('chmod');
    let owner: ImageUser | undefined;
    if (chown !== undefined) {
      const user = expand(instruction, chown ?? '');
      owner = parseUser(user, () => fail(instruction, userProblem(user)));
    }
    let mode: number | undefined;
    if (chmod !== undefined) {
      if (!/^[0-7]{3,4}$/.test(chmod ?? '')) fail(instruction, `--chmod must be octal, got ${chmod}`);
      mode = parseInt(chmod!, 8);
    }
    return {
      kind: 'copy',
      line: lineOf(instruction),
      from,
      sources: words.slice(0, -1),
      dest: words[words.length - 1],
      workdir: state!.config.workdir,
      owner,
      mode,
    };
  }

  function runStep(instruction: Instruction): void {
    const ignoredFlags: string[] = [];
    for (const flag of rawFlags(instruction)) {
      const name = flag.getName();
      const value = flag.getValue() ?? '';
      const type = /(?:^|,)type=([^,]+)/.exec(value)?.[1] ?? 'bind';
      // Cache and scratch mounts change how fast, not what, a step builds; the host's caches stand in.
      if (name === 'mount' && (type === 'cache' || type === 'tmpfs')) ignoredFlags.push(`--mount=${value}`);
      else if (name === 'network' && value === 'default') ignoredFlags.push(`--network=${value}`);
      else fail(instruction, `RUN --${name}${value ? `=${value}` : ''} is not supported`);
    }
    if (heredocsOf(instruction) > 0) fail(instruction, 'here-documents are not supported');
    const text = argumentText(instruction);
    if (!text) fail(instruction, 'no command');
    const exec = execForm(text);
    const argv = exec ?? ['/bin/sh', '-c', text];
    const written = `RUN ${text}`;
    if (!state!.hasWorkdir) {
      stage!.skipped.push({
        stage: stage!.name,
        line: lineOf(instruction),
        instruction: written,
        reason:
          "base image step (before the stage's first WORKDIR): prepares the image's system, not run here",
      });
      return;
    }
    const hostPaths = exec ? exec.flatMap(hostPathsIn) : hostPathsIn(text);
    if (hostPaths.length > 0) {
      fail(
        instruction,
        `after WORKDIR ${state!.config.workdir} this would run on this machine and touch ${hostPaths.join(', ')}; ` +
          "system changes belong before the stage's first WORKDIR (they are skipped here), " +
          'app steps must stay in the app directory',
      );
    }
    const env: Record<string, string> = {};
    for (const [name, value] of state!.args) if (value !== undefined) env[name] = value;
    Object.assign(env, state!.config.env);
    stage!.steps.push({
      kind: 'run',
      line: lineOf(instruction),
      argv,
      cwd: state!.config.workdir,
      env,
      user: currentUser(instruction),
      ignoredFlags,
    });
  }

  function currentUser(instruction: Instruction): ImageUser {
    const user = state!.config.user;
    return parseUser(user, () => fail(instruction, userProblem(user)));
  }

  function rejectFlags(instruction: Instruction, allowed: string[]): void {
    for (const flag of rawFlags(instruction)) {
      if (!allowed.includes(flag.getName()))
        fail(instruction, `the --${flag.getName()} flag is not supported`);
    }
  }

  function flagsOf(instruction: Instruction): Map<string, string | null> {
    return new Map(rawFlags(instruction).map((flag) => [flag.getName(), flag.getValue()]));
  }

  function remember(index: number, stageState: StageState): StageState {
    stageStates.set(index, stageState);
    return stageState;
  }

  return {
    stages,
    stage(nameOrIndex) {
      const found = findStage(String(nameOrIndex));
      if (!found) throw new DockerfileError(`no stage ${nameOrIndex} in the Dockerfile`);
      return found;
    },
    skippedFor(target) {
      const chain: StagePlan[] = [];
      for (let s: StagePlan | undefined = target; s;) {
        chain.unshift(s);
        s = s.base.kind === 'stage' ? stages[s.base.stage] : undefined;
      }
      return chain.flatMap((s) => s.skipped);
    },
  };
}

/** The flags of instructions that have them (FROM, COPY, RUN, CMD, …); none for the others. */
function rawFlags(instruction: Instruction): Flag[] {
  const withFlags = instruction as Instruction & { getFlags?: () => Flag[] };
  return typeof withFlags.getFlags === 'function' ? withFlags.getFlags() : [];
}

function heredocsOf(instruction: Instruction): number {
  const withHeredocs = instruction as Instruction & { getHeredocs?: () => unknown[] };
  return typeof withHeredocs.getHeredocs === 'function' ? withHeredocs.getHeredocs().length : 0;
}

/** The JSON (exec) form if the text is a JSON array of strings, as Docker decides it. */
function execForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // not JSON: the shell form, as in Docker
  }
  return undefined;
}

/**
 * `uid:gid` numbers, or root. A bare uid or a user name takes its group (or uid) from the base
 * image's /etc/passwd, which is not available here.
 */
export function parseUser(user: string, onError: () => never): ImageUser {
  if (user === '' || user === 'root' || user === '0' || user === 'root:root' || user === '0:0') {
    return { uid: 0, gid: 0 };
  }
  const match = /^(\d+):(\d+)$/.exec(user);
  if (!match) return onError();
  return { uid: Number(match[1]), gid: Number(match[2]) };
}

const userProblem = (user: string) =>
  `USER ${user}: write numeric uid:gid (names and a bare uid need the base image's /etc/passwd, not available here)`;

function signalName(value: string, instruction: Instruction): NodeJS.Signals {
  const signals = constants.signals as Record<string, number>;
  const upper = value.toUpperCase();
  const candidates = /^\d+$/.test(value)
    ? Object.keys(signals).filter((name) => signals[name] === Number(value))
    : [upper, `SIG${upper}`];
  const found = candidates.find((name) => Object.hasOwn(signals, name));
  if (!found) {
    throw new DockerfileError(
      `Dockerfile line ${instruction.getRange().start.line + 1}: unknown signal ${value}`,
    );
  }
  return found as NodeJS.Signals;
}
