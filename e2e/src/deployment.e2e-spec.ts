import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES, SERVICE_PORTS, SYSLOG_PORT } from '@vigil/config';
import { StreamNames } from '@vigil/contracts';
import { freePort, ServiceProcess, workspaceRoot } from '@vigil/launcher';
import { createNatsClient } from '@vigil/messaging';
import {
  buildImageFromDockerfile,
  createTestDatabase,
  createTestNats,
  declaredFamilies,
  ImageBuild,
  imagePath,
  ImageTarget,
  KubernetesObject,
  materialiseMounts,
  PrivateNats,
  renderChart,
  ResolvedContainer,
  resolveContainers,
  runImageCommand,
  SecretStore,
  seriesUsed,
  startImageProcess,
  startPrivateNats,
  TEST_NATS_URL,
  TestDatabase,
  TestNats,
  uniquePrefix,
} from '@vigil/testing';

const TARGETS = [...SERVICE_NAMES, 'cli'];

/** What the chart may set that Node itself reads rather than Vigil's settings. */
const READ_BY_NODE = new Set(['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS']);

/** The image target a rendered image reference names: `<repository>-<target>:<tag>`. */
function targetOf(reference: string): string {
  const match = /-(query|ingest|classifier|correlator|notifier|cli):[^/]+$/.exec(reference);
  if (!match) throw new Error(`${reference} is not one of Vigil's images`);
  return match[1];
}

function find(objects: KubernetesObject[], kind: string, component: string): KubernetesObject {
  const found = objects.find(
    (o) => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/component'] === component,
  );
  if (!found) throw new Error(`no ${kind} for ${component}`);
  return found;
}

/** Where a scenario's NATS is and what Secrets its cluster would hold. */
interface ScenarioInfrastructure {
  natsUrl: string;
  secrets: SecretStore;
  /** A client to the scenario's NATS, for checks. */
  client(): ReturnType<typeof createNatsClient>;
  stop(): Promise<void>;
}

interface ChartScenario {
  infrastructure(databaseUrl: string, prefix: string): Promise<ScenarioInfrastructure>;
  afterProvisioning?(infrastructure: ScenarioInfrastructure, objects: KubernetesObject[]): Promise<void>;
  whileRunning?(
    infrastructure: ScenarioInfrastructure,
    objects: KubernetesObject[],
    services: ServiceProcess<string>[],
  ): Promise<void>;
}

const secret = () => randomBytes(24).toString('hex');

/** The machine's NATS: streams under the render's prefix are deleted afterwards. */
function sharedNats(secrets: (databaseUrl: string) => SecretStore = () => ({})) {
  return (databaseUrl: string, prefix: string): Promise<ScenarioInfrastructure> =>
    Promise.resolve({
      natsUrl: TEST_NATS_URL,
      secrets: secrets(databaseUrl),
      client: () => createNatsClient({ servers: TEST_NATS_URL, prefix: '', service: 'test' }),
      async stop() {
        await (await createTestNats(prefix)).cleanup();
      },
    });
}

/** A private NATS, whose streams go with it. */
function privateNats(nats: PrivateNats, secrets: SecretStore): ScenarioInfrastructure {
  return {
    natsUrl: nats.url,
    secrets,
    client: () => createNatsClient({ ...nats.connection, prefix: '', service: 'test' }),
    stop: () => nats.stop(),
  };
}

async function streamsOf(infrastructure: ScenarioInfrastructure, prefix: string) {
  const client = await infrastructure.client();
  try {
    const streams = [];
    for await (const info of client.jsm.streams.list())
      if (info.config.name.startsWith(prefix)) streams.push(info);
    return streams;
  } finally {
    await client.connection.close();
  }
}

const CHART_SCENARIOS: [string, ChartScenario][] = [
  ['minimal-values.yaml', { infrastructure: sharedNats() }],
  [
    'ha-values.yaml',
    {
      // Three NATS nodes that want a user and password; the streams must be replicated three times.
      async infrastructure(databaseUrl) {
        const password = secret();
        const nats = await startPrivateNats({ nodes: 3, auth: { users: [{ user: 'vigil', password }] } });
        return privateNats(nats, {
          'vigil-nats-auth': { user: 'vigil', password },
          'vigil-db': { DATABASE_URL: databaseUrl },
        });
      },
      async afterProvisioning(infrastructure) {
        const streams = await streamsOf(infrastructure, '');
        expect(streams.length).toBeGreaterThan(0);
        expect(new Set(streams.map((s) => s.config.num_replicas))).toEqual(new Set([3]));
      },
    },
  ],
  [
    'existing-secrets-values.yaml',
    {
      // Decentralised auth (a .creds file) over mutual TLS; every credential in a Secret of the cluster.
      async infrastructure(databaseUrl) {
        const nats = await startPrivateNats({ auth: { operator: true }, tls: { verifyClients: true } });
        const file = (path: string) => readFile(path, 'utf8');
        return privateNats(nats, {
          'vigil-nats-url': { url: nats.url },
          'vigil-nats-auth': { 'vigil.creds': await file(nats.creds!.credsFile) },
          'vigil-nats-tls': {
            'ca.crt': await file(nats.tls!.caFile),
            'tls.crt': await file(nats.tls!.certFile),
            'tls.key': await file(nats.tls!.keyFile),
          },
          'vigil-db': { uri: databaseUrl },
          'vigil-tokens': { query: secret(), ingest: secret(), classifier: secret() },
          'vigil-webhooks': { urls: 'http://127.0.0.1:9/hook', signing: secret() },
          'vigil-action-links': { keys: secret() },
        });
      },
    },
  ],
  [
    'ingress-tls-values.yaml',
    {
      async infrastructure() {
        const token = secret();
        const nats = await startPrivateNats({ auth: { token } });
        return privateNats(nats, {
          'vigil-nats-token': { token },
          'vigil-action-links': { NOTIFIER_ACTION_LINK_SECRETS: secret() },
        });
      },
    },
  ],
  [
    'gateway-keda-monitoring-values.yaml',
    {
      infrastructure: sharedNats(),
      // KEDA scales on these consumers: they must exist once the services run.
      async afterProvisioning(infrastructure, objects) {
        const client = await infrastructure.client();
        try {
          for (const scaled of objects.filter((o) => o.kind === 'ScaledObject')) {
            const triggers = (
              scaled.spec as { triggers: { type: string; metadata: Record<string, string> }[] }
            ).triggers;
            for (const { metadata } of triggers.filter((t) => t.type === 'nats-jetstream')) {
              await expect(
                client.jsm.consumers.info(metadata.stream, metadata.consumer),
              ).resolves.toBeDefined();
            }
          }
        } finally {
          await client.connection.close();
        }
      },
      // Every series the alert rules and the dashboard use is one the services serve.
      async whileRunning(_, objects, services) {
        const families = new Set<string>();
        for (const service of services) {
          const text = await (await fetch(`${service.url}/metrics`)).text();
          for (const family of declaredFamilies(text)) families.add(family);
        }
        const rules = objects.find((o) => o.kind === 'PrometheusRule')!;
        const dashboard = objects.find(
          (o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboard'),
        )!;
        const expressions = [
          ...(rules.spec as { groups: { rules: { expr: string }[] }[] }).groups.flatMap((g) =>
            g.rules.map((r) => r.expr),
          ),
          ...(
            JSON.parse((dashboard.data as Record<string, string>)['vigil.json']) as {
              panels: { targets?: { expr: string }[] }[];
            }
          ).panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
        ];
        const missing = [...new Set(expressions.flatMap(seriesUsed).map(String))].filter(
          (pattern) => ![...families].some((family) => new RegExp(pattern.slice(1, -1)).test(family)),
        );
        expect(missing).toEqual([]);
      },
    },
  ],
  [
    'disabled-values.yaml',
    { infrastructure: sharedNats((databaseUrl) => ({ 'vigil-db': { DATABASE_URL: databaseUrl } })) },
  ],
];

/** The uid a running process has (Linux). */
async function uidOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
}

/**
 * What in a directory tree the user could change, or what root does not own: the image promises a
 * read-only root filesystem, so the app's files must be root's and not writable by the process.
 */
async function notReadOnly(dir: string, uid: number, gid: number): Promise<string[]> {
  const problems: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const stats = await lstat(path);
    const writable =
      !stats.isSymbolicLink() &&
      ((stats.uid === uid && (stats.mode & 0o200) !== 0) ||
        (stats.gid === gid && (stats.mode & 0o020) !== 0) ||
        (stats.mode & 0o002) !== 0);
    if (stats.uid !== 0 || writable) {
      problems.push(
        `${path} (uid ${stats.uid}, gid ${stats.gid}, mode ${(stats.mode & 0o7777).toString(8)})`,
      );
    }
    if (stats.isDirectory()) {
      for (const entry of await readdir(path)) await visit(join(path, entry));
    }
  };
  await visit(dir);
  return problems;
}

/**
 * deploy/Dockerfile, built without Docker into plain directories by running its steps
 * (buildImageFromDockerfile), then each target run the way its container would be: as the image's
 * user, in its WORKDIR, with only its ENV, PATH and the settings `docker run -e` would add.
 * VIGIL_IMAGE_DOCKERFILE points the test at another Dockerfile (e.g. a deliberately broken copy).
 */
describe('the container images (deploy/Dockerfile, built without Docker)', () => {
  const root = workspaceRoot();
  const dockerfile = process.env.VIGIL_IMAGE_DOCKERFILE ?? join(root, 'deploy', 'Dockerfile');
  let dir: string | undefined;
  let image: ImageBuild;
  let database: TestDatabase | undefined;
  let nats: TestNats | undefined;
  const started: ServiceProcess<string>[] = [];
  const readOnlyChecks = new Map<string, Promise<string[]>>();

  /** What `docker run -e` adds: the machine's NATS and Postgres, a private database and prefix. */
  const connection = () => ({
    NATS_URL: TEST_NATS_URL,
    DATABASE_URL: database!.url,
    VIGIL_SUBJECT_PREFIX: nats!.prefix,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-image-'));
    await chmod(dir, 0o755); // mkdtemp's 0700 would keep the image's user out
    // `npm ci` in a clean directory is most of it (about a minute with a warm npm cache).
    image = await buildImageFromDockerfile({
      dockerfile,
      context: root,
      workDir: join(dir, 'image'),
      targets: TARGETS,
    });
    // Empty: the cli target applies the migrations, as the Helm hook Job does.
    database = await createTestDatabase({ migrate: false });
    nats = await createTestNats();
  }, 600_000);

  afterAll(async () => {
    await Promise.allSettled(started.map((service) => service.stop(5_000)));
    await nats?.cleanup();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('leaves out only the base image steps: the removal of npm, corepack and yarn', () => {
    expect(image.skipped).toEqual([
      expect.objectContaining({
        stage: 'runtime',
        instruction: expect.stringMatching(/^RUN rm -rf \/usr\/local\/lib\/node_modules\/npm /),
      }),
    ]);
  });

  it('builds the shared runtime once for every target', () => {
    const roots = new Set(TARGETS.map((name) => image.target(name).root));
    expect([...roots]).toEqual([join(dir!, 'image', 'runtime')]);
  });

  describe.each(TARGETS)('the %s target', (name) => {
    let target: ImageTarget;
    beforeAll(() => {
      target = image.target(name);
    });

    it('runs as a numeric user and group other than root', () => {
      expect(target.userSpec).toMatch(/^\d+:\d+$/);
      expect(target.user.uid).not.toBe(0);
      expect(target.user.gid).not.toBe(0);
    });

    it("has its command's entry file", () => {
      const [program, ...args] = target.command;
      expect(program).toBe('node');
      const entry = args.find((arg) => !arg.startsWith('-'));
      expect(entry).toBeDefined();
      expect(existsSync(imagePath(target, entry!))).toBe(true);
    });

    it('keeps its app directory owned by root and read-only to its user', async () => {
      const key = `${target.workdirPath}:${target.user.uid}:${target.user.gid}`;
      if (!readOnlyChecks.has(key)) {
        readOnlyChecks.set(key, notReadOnly(target.workdirPath, target.user.uid, target.user.gid));
      }
      expect((await readOnlyChecks.get(key)!).slice(0, 10)).toEqual([]);
    });
  });

  describe('the cli target', () => {
    it('prints its help as its user, with only the image environment and PATH', async () => {
      const cli = image.target('cli');
      const run = await runImageCommand(cli, ['--help']);
      expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
      expect(run.output.join('\n')).toContain('Usage: vigil');
    });

    it('applies the migrations, then provisions the streams, as the Helm hook Job does', async () => {
      const cli = image.target('cli');
      const migrate = await runImageCommand(cli, ['migrate'], { env: connection() });
      expect({ code: migrate.code, output: migrate.output }).toEqual({
        code: 0,
        output: expect.arrayContaining([expect.stringContaining('applied')]),
      });
      const provision = await runImageCommand(cli, ['provision'], { env: connection() });
      expect({ code: provision.code, output: provision.output }).toEqual({
        code: 0,
        output: expect.arrayContaining([expect.stringContaining('provisioned')]),
      });
      const streams: string[] = [];
      for await (const stream of nats!.client.jsm.streams.names()) streams.push(stream);
      expect(streams).toContain(nats!.client.space.stream(StreamNames.EventsRaw));
    });
  });

  describe.each(SERVICE_NAMES)('the %s service target', (name) => {
    it('exposes its default ports', () => {
      const expose = image.target(name).expose;
      expect(expose).toContain(String(SERVICE_PORTS[name]));
      if (name === 'ingest')
        expect(expose).toEqual(expect.arrayContaining([`${SYSLOG_PORT}/tcp`, `${SYSLOG_PORT}/udp`]));
    });

    it('starts as its user, becomes ready, and exits with 0 on its STOPSIGNAL', async () => {
      const target = image.target(name);
      const env: Record<string, string> = { ...connection() };
      if (name === 'ingest') {
        env.SYSLOG_UDP_PORT = String(await freePort());
        env.SYSLOG_TCP_PORT = String(await freePort());
      }
      const service = startImageProcess(target, { env, port: await freePort() });
      started.push(service);
      await service.waitUntilReady(60_000);
      expect(await uidOf(service.pid!)).toBe(target.user.uid);
      const code = await service.stop(30_000, target.stopSignal);
      // The output is shown only when the exit code is wrong.
      expect({ code, output: code === 0 ? [] : service.output.slice(-30) }).toEqual({ code: 0, output: [] });
    });
  });

  /**
   * The Helm chart and the services agree: each value file in helm/vigil/ci is rendered with the
   * real helm, and every container it describes (the hook Job's, then each Deployment's) is run
   * from the image built above with the environment Kubernetes would give it: ConfigMap and Secret
   * references resolved, Secret volumes written out, the pod's user. Only where the cluster's hosts
   * are (NATS_URL, DATABASE_URL) and the ports are swapped for local ones; the rest (NODE_OPTIONS,
   * credentials, TLS files, every service setting) is the chart's own.
   */
  describe.each(CHART_SCENARIOS)('the chart with ci/%s, run from the image', (file, scenario) => {
    let infrastructure: ScenarioInfrastructure;
    let chartDatabase: TestDatabase;
    let objects: KubernetesObject[];
    let mountRoot: string;
    const prefix = uniquePrefix();
    const services: ServiceProcess<string>[] = [];

    beforeAll(async () => {
      chartDatabase = await createTestDatabase({ migrate: false });
      infrastructure = await scenario.infrastructure(chartDatabase.url, prefix);
      objects = await renderChart({ valuesFiles: [`ci/${file}`], set: { 'config.subjectPrefix': prefix } });
      mountRoot = await mkdtemp(join(tmpdir(), 'vigil-mounts-'));
      await chmod(mountRoot, 0o755);
    }, 120_000);

    afterAll(async () => {
      await Promise.allSettled(services.map((service) => service.stop(5_000)));
      await infrastructure?.stop();
      await chartDatabase?.drop();
      if (mountRoot) await rm(mountRoot, { recursive: true, force: true });
    }, 60_000);

    /** A container of the chart as the image runs it, with the environment made local. */
    async function prepare(workload: KubernetesObject, container: ResolvedContainer) {
      const target = image.target(targetOf(container.image));
      // The pod runs as the image's own user, so the image's read-only files suit it.
      expect({ [container.name]: container.user }).toEqual({ [container.name]: target.user });
      const env = materialiseMounts(container, join(mountRoot, workload.metadata.name, container.name));
      const port = container.ports.http === undefined ? undefined : await freePort();
      if (port !== undefined) {
        // HTTP_PORT, the container port and the probes name the same port before it is swapped.
        expect(Number(env.HTTP_PORT)).toBe(container.ports.http);
        for (const probe of Object.values(container.probes))
          if (probe) expect(probe.port).toBe(container.ports.http);
      }
      for (const name of ['SYSLOG_UDP_PORT', 'SYSLOG_TCP_PORT']) {
        if (env[name] !== undefined && env[name] !== '-1') env[name] = String(await freePort());
      }
      if (env.NATS_URL !== undefined) env.NATS_URL = infrastructure.natsUrl;
      if (env.DATABASE_URL !== undefined) env.DATABASE_URL = chartDatabase.url;
      return { target, env, port, args: container.command ? undefined : container.args };
    }

    it("runs the hook Job: migrate, then provision, as the image's user", async () => {
      const job = objects.find((o) => o.kind === 'Job');
      // Without the hook (migrations.enabled=false) the operator runs both with a service's settings.
      const workload = job ?? objects.find((o) => o.kind === 'Deployment')!;
      const containers = resolveContainers(objects, workload, infrastructure.secrets);
      const steps = job
        ? containers.map((c) => ({ container: c, args: undefined }))
        : ['migrate', 'provision'].map((command) => ({ container: containers[0], args: [command] }));
      for (const step of steps) {
        const { env, args } = await prepare(workload, step.container);
        const cli = image.target('cli');
        const run = await runImageCommand(cli, step.args ?? args, { env, timeoutMs: 120_000 });
        expect({ step: step.args ?? args, code: run.code, output: run.code === 0 ? [] : run.output }).toEqual(
          {
            step: step.args ?? args,
            code: 0,
            output: [],
          },
        );
      }
      await scenario.afterProvisioning?.(infrastructure, objects);
    });

    it('starts every Deployment from its image; each becomes ready and reads every variable the chart sets', async () => {
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      expect(deployments.length).toBeGreaterThan(0);
      const started: { name: string; set: string[]; process: ServiceProcess<string> }[] = [];
      for (const deployment of deployments) {
        const [container] = resolveContainers(objects, deployment, infrastructure.secrets);
        const { target, env, port } = await prepare(deployment, container);
        const process = startImageProcess(target, { env, port });
        services.push(process);
        started.push({ name: container.name, set: Object.keys(container.env), process });
      }
      for (const { name, set, process } of started) {
        await process.waitUntilReady(90_000);
        const [container] = resolveContainers(
          objects,
          find(objects, 'Deployment', name),
          infrastructure.secrets,
        );
        for (const probe of [container.probes.startup, container.probes.liveness]) {
          const response = await fetch(`${process.url}${probe!.path}`);
          expect({ name, path: probe!.path, status: response.status }).toEqual({
            name,
            path: probe!.path,
            status: 200,
          });
        }
        // The service logs the names of the settings it took from its environment.
        const line = process.output.find((l) => l.includes('settings from the environment: '));
        expect(line).toBeDefined();
        const read = new Set(/settings from the environment: ([^"]*)/.exec(line!)![1].split(', '));
        const ignored = set.filter((variable) => !read.has(variable) && !READ_BY_NODE.has(variable));
        expect({ service: name, ignored }).toEqual({ service: name, ignored: [] });
      }
      await scenario.whileRunning?.(
        infrastructure,
        objects,
        started.map((s) => s.process),
      );
      for (const { name, process } of started) {
        const code = await process.stop(30_000);
        expect({ name, code }).toEqual({ name, code: 0 });
      }
    });
  });
});
