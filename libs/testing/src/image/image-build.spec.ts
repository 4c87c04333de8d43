import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImageFromDockerfile, imageCommand, imagePath } from './image-build';

/** Small builds in a temporary directory: the COPY, RUN and stage-sharing rules on real files. */
describe('buildImageFromDockerfile', () => {
  let dir: string;
  let context: string;

  const write = async (path: string, content: string) => {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  };

  const build = async (dockerfile: string, ignore?: string) => {
    await write(join(dir, 'Dockerfile'), dockerfile);
    if (ignore !== undefined) await write(join(dir, 'Dockerfile.dockerignore'), ignore);
    const workDir = join(dir, 'out');
    return buildImageFromDockerfile({ dockerfile: join(dir, 'Dockerfile'), context, workDir });
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-image-spec-'));
    await chmod(dir, 0o755); // mkdtemp's 0700 would keep the image's user out
    context = join(dir, 'context');
    await write(join(context, 'package.json'), '{}');
    await write(join(context, 'src', 'main.js'), 'main');
    await write(join(context, 'src', 'debug.log'), 'log');
    await write(join(context, 'src', 'node_modules', 'x', 'index.js'), 'x');
    await write(join(context, 'docs', 'readme.md'), 'docs');
    await write(join(context, 'docs', 'keep.md'), 'kept');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies from the context as the .dockerignore says, runs RUN in WORKDIR, copies between stages', async () => {
    const image = await build(
      `FROM node:20 AS build
WORKDIR /app
COPY package.json ./
COPY src ./src
COPY docs/*.md /docs/
RUN mkdir -p dist && cat src/main.js > dist/out.js && echo "$NODE_ENV" > env.txt

FROM node:20 AS runtime
RUN rm -rf /usr/local/bin/npm
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/env.txt ./
USER 1000:1000
CMD ["node", "dist/out.js"]

FROM runtime AS one
EXPOSE 1
FROM runtime AS two
EXPOSE 2
`,
      '**/node_modules\n*/*.log\ndocs\n!docs/keep.md\n',
    );
    const build1 = image.target('build');
    expect(await readFile(imagePath(build1, 'src/main.js'), 'utf8')).toBe('main');
    expect(existsSync(imagePath(build1, 'src/debug.log'))).toBe(false);
    expect(existsSync(imagePath(build1, 'src/node_modules'))).toBe(false);
    expect(existsSync(imagePath(build1, '/docs/keep.md'))).toBe(true);
    expect(existsSync(imagePath(build1, '/docs/readme.md'))).toBe(false);
    // The builder's environment does not leak into RUN (Jest sets NODE_ENV=test).
    expect(await readFile(imagePath(build1, 'env.txt'), 'utf8')).toBe('\n');
    // Docker's umask, not this process's.
    expect((await stat(imagePath(build1, 'dist/out.js'))).mode & 0o777).toBe(0o644);

    const one = image.target('one');
    expect(one.root).toBe(image.target('runtime').root);
    expect(image.target('two').root).toBe(one.root);
    expect(one.workdirPath).toBe(join(one.root, 'app'));
    expect(await readFile(imagePath(one, 'dist/out.js'), 'utf8')).toBe('main');
    expect(existsSync(imagePath(one, 'package.json'))).toBe(true);
    expect(existsSync(imagePath(one, 'src'))).toBe(false);
    expect(one).toMatchObject({
      user: { uid: 1000, gid: 1000 },
      env: { NODE_ENV: 'production' },
      command: ['node', 'dist/out.js'],
      expose: ['1'],
      stopSignal: 'SIGTERM',
    });
    expect(imageCommand(one, ['--help'])).toEqual(['--help']); // arguments replace CMD
    expect(image.skipped).toEqual([expect.objectContaining({ stage: 'runtime', line: 9 })]);
    expect(one.skipped).toEqual(image.skipped);
    expect(existsSync(imagePath(one, '/usr/local/bin'))).toBe(false);
  });

  it('gives a stage that changes files its own copy of its base stage', async () => {
    const image = await build(`FROM alpine AS base
WORKDIR /app
COPY package.json ./
FROM base AS changed
RUN echo more > more.txt
`);
    const base = image.target('base');
    const changed = image.target('changed');
    expect(changed.root).not.toBe(base.root);
    expect(existsSync(imagePath(changed, 'package.json'))).toBe(true);
    expect(existsSync(imagePath(changed, 'more.txt'))).toBe(true);
    expect(existsSync(imagePath(base, 'more.txt'))).toBe(false);
  });

  it('fails on a missing or excluded COPY source and on a failing RUN, naming the line', async () => {
    await expect(build('FROM a\nWORKDIR /app\nCOPY src/debug.log ./\n', '*/*.log\n')).rejects.toThrow(
      'line 3 (COPY): src/debug.log not found in the build context (or excluded by the .dockerignore)',
    );
    await rm(join(dir, 'out'), { recursive: true });
    await expect(build('FROM a\nWORKDIR /app\nRUN echo broken >&2 && exit 3\n', '')).rejects.toThrow(
      /\[0\] line 3: RUN \/bin\/sh -c echo broken >&2 && exit 3 failed \(exit code 3\)[^\n]*:\nbroken/,
    );
  });

  it('wants an empty directory', async () => {
    await write(join(dir, 'out', 'stale'), '');
    await expect(build('FROM a\n')).rejects.toThrow('is not empty');
  });
});
