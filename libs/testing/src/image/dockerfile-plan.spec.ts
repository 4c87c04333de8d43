import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildStep, DockerfileError, planDockerfile } from './dockerfile-plan';

const runSteps = (steps: BuildStep[]) => steps.filter((s) => s.kind === 'run');

describe('planDockerfile', () => {
  describe('ARG substitution', () => {
    const dockerfile = `
ARG BASE=alpine:3
FROM \${BASE} AS one
ARG BASE
ARG LOCAL="with space"
ARG SHADOWED=from-arg
ENV SHADOWED=from-env
ENV GREETING="hello \${LOCAL}" LITERAL='$LOCAL' DEFAULTED=\${MISSING:-fallback} SEEN=$SHADOWED
LABEL base="\${BASE}"
WORKDIR /srv/$LOCAL
RUN echo "$LOCAL"
`;

    it('expands global ARGs in FROM, re-declared and local ARGs, defaults and quotes', () => {
      const stage = planDockerfile(dockerfile).stage('one');
      expect(stage.base).toEqual({ kind: 'image', image: 'alpine:3' });
      expect(stage.config.env).toEqual({
        SHADOWED: 'from-env',
        GREETING: 'hello with space',
        LITERAL: '$LOCAL',
        DEFAULTED: 'fallback',
        SEEN: 'from-env', // ENV wins over an ARG of the same name
      });
      expect(stage.config.labels).toEqual({ base: 'alpine:3' });
      expect(stage.config.workdir).toBe('/srv/with space');
    });

    it('gives RUN the ARGs in scope and the ENV, not expanded by the builder', () => {
      const [run] = runSteps(planDockerfile(dockerfile).stage('one').steps);
      expect(run).toMatchObject({
        argv: ['/bin/sh', '-c', 'echo "$LOCAL"'],
        cwd: '/srv/with space',
        env: expect.objectContaining({ BASE: 'alpine:3', LOCAL: 'with space', SHADOWED: 'from-env' }),
      });
    });

    it('takes --build-arg values over the defaults', () => {
      const stage = planDockerfile(dockerfile, { buildArgs: { BASE: 'debian:12', LOCAL: 'x' } }).stage('one');
      expect(stage.base).toEqual({ kind: 'image', image: 'debian:12' });
      expect(stage.config.labels.base).toBe('debian:12');
      expect(stage.config.env.GREETING).toBe('hello x');
    });

    it('does not see a global ARG inside a stage unless it is re-declared', () => {
      const plan = planDockerfile('ARG V=1\nFROM alpine\nENV A=${V}-x\nARG V\nENV B=${V}-x\n');
      expect(plan.stages[0].config.env).toEqual({ A: '-x', B: '1-x' });
    });
  });

  describe('stages built FROM an earlier stage', () => {
    const plan = planDockerfile(`
FROM node:20 AS base
ARG V=1
ENV A=1
WORKDIR /srv
USER 1000:1000
EXPOSE 80
STOPSIGNAL INT
LABEL title=base
CMD ["node", "a.js"]

FROM base AS child
ENV B=2
LABEL title=child
RUN echo $V

FROM base AS tool
ENTRYPOINT ["node", "tool.js"]

FROM base AS tool2
CMD ["x"]
ENTRYPOINT ["y"]
`);

    it('inherit WORKDIR, ENV, USER, EXPOSE, STOPSIGNAL, LABELs and CMD', () => {
      const child = plan.stage('child');
      expect(child.base).toEqual({ kind: 'stage', stage: 0 });
      expect(child.dependsOn).toEqual([0]);
      expect(child.config).toEqual({
        workdir: '/srv',
        user: '1000:1000',
        env: { A: '1', B: '2' },
        entrypoint: [],
        cmd: ['node', 'a.js'],
        expose: ['80'],
        stopSignal: 'SIGINT',
        labels: { title: 'child' },
      });
      expect(plan.stage('base').config.labels).toEqual({ title: 'base' });
    });

    it("run their RUNs in the inherited WORKDIR as the inherited USER, with the base stage's ARGs", () => {
      expect(runSteps(plan.stage('child').steps)).toEqual([
        expect.objectContaining({
          cwd: '/srv',
          user: { uid: 1000, gid: 1000 },
          env: { V: '1', A: '1', B: '2' },
        }),
      ]);
      expect(plan.stage('child').skipped).toEqual([]);
    });

    it('reset an inherited CMD when they set ENTRYPOINT, but keep their own', () => {
      expect(plan.stage('tool').config).toMatchObject({ entrypoint: ['node', 'tool.js'], cmd: [] });
      expect(plan.stage('tool2').config).toMatchObject({ entrypoint: ['y'], cmd: ['x'] });
    });

    it('take the shell form of CMD as /bin/sh -c', () => {
      expect(planDockerfile('FROM a\nCMD node main.js --x\n').stages[0].config.cmd).toEqual([
        '/bin/sh',
        '-c',
        'node main.js --x',
      ]);
    });
  });

  describe('refuses what it does not understand, naming the line', () => {
    it.each([
      'ADD x /x',
      'HEALTHCHECK CMD curl -f http://localhost/',
      'VOLUME /data',
      'ONBUILD RUN echo',
      'SHELL ["/bin/bash", "-c"]',
      'MAINTAINER someone',
      'FROBNICATE now',
    ])('%s', (instruction) => {
      const keyword = instruction.split(' ')[0];
      expect(() => planDockerfile(`FROM alpine\nWORKDIR /app\n${instruction}\n`)).toThrow(
        new DockerfileError(
          `Dockerfile line 3 (${keyword}): ${keyword} is not understood by buildImageFromDockerfile (libs/testing/src/image): ` +
            'teach it there before using it, so the image test keeps building what Docker builds',
        ),
      );
    });

    it.each([
      [
        'RUN --mount=type=secret,id=npmrc npm ci',
        /line 3 \(RUN\): RUN --mount=type=secret,id=npmrc is not supported/,
      ],
      ['RUN --network=none npm ci', /line 3 \(RUN\): RUN --network=none is not supported/],
      ['COPY --from=nginx:1 /etc/nginx ./', /line 3 \(COPY\): --from=nginx:1 is not an earlier stage/],
      ['COPY --exclude=*.md . .', /line 3 \(COPY\): the --exclude flag is not supported/],
      ['USER node', /line 3 \(USER\): USER node: write numeric uid:gid/],
      ['USER 1000', /line 3 \(USER\): USER 1000: write numeric uid:gid/],
      ['STOPSIGNAL SIGNOPE', /line 3: unknown signal SIGNOPE/],
      ['RUN <<EOF\necho hi\nEOF', /line 3 \(RUN\): here-documents are not supported/],
    ])('%s', (instruction, message) => {
      expect(() => planDockerfile(`FROM alpine\nWORKDIR /app\n${instruction}\n`)).toThrow(message);
    });

    it('anything but ARG before the first FROM', () => {
      expect(() => planDockerfile('ENV A=1\nFROM alpine\n')).toThrow(
        /line 1 \(ENV\): only ARG may come before/,
      );
    });
  });

  describe('base image steps', () => {
    it('skips the RUNs before the first WORKDIR and keeps the ones after it', () => {
      const plan = planDockerfile(`FROM node:20-slim AS runtime
RUN rm -rf /usr/local/lib/node_modules/npm \\
           /usr/local/bin/npm
ENV NODE_ENV=production
WORKDIR /app
RUN echo ok > ok.txt
FROM runtime AS service
CMD ["node", "main.js"]
`);
      const runtime = plan.stage('runtime');
      expect(runtime.skipped).toEqual([
        {
          stage: 'runtime',
          line: 2,
          instruction: 'RUN rm -rf /usr/local/lib/node_modules/npm            /usr/local/bin/npm',
          reason: expect.stringContaining('base image step'),
        },
      ]);
      expect(runtime.steps.map((s) => [s.kind, s.line])).toEqual([
        ['workdir', 5],
        ['run', 6],
      ]);
      expect(plan.skippedFor(plan.stage('service'))).toEqual(runtime.skipped);
    });

    it('strips cache mounts from the RUNs it runs', () => {
      const [run] = runSteps(
        planDockerfile('FROM a\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.npm \\\n    npm ci\n')
          .stages[0].steps,
      );
      expect(run).toMatchObject({
        argv: ['/bin/sh', '-c', 'npm ci'],
        ignoredFlags: ['--mount=type=cache,target=/root/.npm'],
      });
    });
  });

  describe('RUN after WORKDIR, which runs on this machine', () => {
    it.each([
      ['RUN rm -rf /usr/local/bin/npm', '/usr/local/bin/npm'],
      ['RUN cd .. && rm -rf data', '..'],
      ['RUN cp config ~/.config', '~/.config'],
      ['RUN ["rm", "-rf", "/opt/yarn"]', '/opt/yarn'],
    ])('refuses %s (it would touch the host)', (instruction, path) => {
      expect(() => planDockerfile(`FROM alpine\nWORKDIR /app\n${instruction}\n`)).toThrow(
        new RegExp(
          `line 3 \\(RUN\\): after WORKDIR /app this would run on this machine and touch ${path.replace(/[.]/g, '\\.')}`,
        ),
      );
    });

    it('refuses it in a stage that inherits the WORKDIR too', () => {
      expect(() => planDockerfile('FROM a AS base\nWORKDIR /app\nFROM base\nRUN rm -rf /etc/x\n')).toThrow(
        /line 4 \(RUN\): after WORKDIR \/app this would run on this machine and touch \/etc\/x/,
      );
    });
  });

  describe('deploy/Dockerfile', () => {
    const plan = planDockerfile(readFileSync(join(__dirname, '../../../../deploy/Dockerfile'), 'utf8'));
    const services = ['query', 'ingest', 'classifier', 'correlator', 'notifier'];

    it('has a build stage, a runtime stage and one target per service plus cli, built FROM runtime', () => {
      expect(plan.stages.map((s) => s.name)).toEqual(['build', 'runtime', ...services, 'cli']);
      const runtime = plan.stage('runtime');
      expect(runtime.dependsOn).toEqual([plan.stage('build').index]);
      for (const name of [...services, 'cli']) {
        expect(plan.stage(name).base).toEqual({ kind: 'stage', stage: runtime.index });
        expect(plan.stage(name).steps).toEqual([]); // metadata only: they share runtime's files
      }
    });

    it('runs every service as node with its entry point, as 1000:1000, stopped by SIGTERM', () => {
      for (const name of services) {
        expect(plan.stage(name).config).toMatchObject({
          workdir: '/app',
          user: '1000:1000',
          env: { NODE_ENV: 'production' },
          entrypoint: [],
          cmd: ['node', `dist/services/${name}/src/main.js`],
          stopSignal: 'SIGTERM',
        });
      }
      expect(plan.stage('cli').config).toMatchObject({
        entrypoint: ['node', 'bin/vigil.js'],
        cmd: ['--help'],
      });
    });

    it('skips only the removal of the package managers from the base image', () => {
      expect(plan.stage('build').skipped).toEqual([]);
      expect(plan.skippedFor(plan.stage('query'))).toEqual([
        expect.objectContaining({
          stage: 'runtime',
          instruction: expect.stringMatching(/^RUN rm -rf \/usr\/local\/lib\/node_modules\/npm /),
        }),
      ]);
    });
  });
});
