import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Consumers } from '@vigil/contracts';
import { workspaceRoot } from '@vigil/launcher';
import {
  CHART_DIR,
  helm,
  KubernetesObject,
  kubernetesSchemaErrors,
  lintChart,
  podSpecOf,
  renderChart,
  renderChartResult,
  restrictedPodSecurityViolations,
} from '@vigil/testing';
import { stringify } from 'yaml';

const run = promisify(execFile);

/** The value files kept with the chart, as chart repositories keep them for their CI. */
const VALUE_FILES = readdirSync(join(CHART_DIR, 'ci'))
  .filter((file) => file.endsWith('-values.yaml'))
  .sort();

function kinds(objects: KubernetesObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of objects) counts[object.kind] = (counts[object.kind] ?? 0) + 1;
  return counts;
}

function find(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(
      `no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  return found;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string }[];
}

function containers(object: KubernetesObject): Container[] {
  const spec = podSpecOf(object);
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])] as Container[];
}

function envOf(object: KubernetesObject, container?: string): Map<string, EnvVar> {
  const chosen = containers(object).find((c) => container === undefined || c.name === container);
  return new Map((chosen?.env ?? []).map((variable) => [variable.name, variable]));
}

const SERVICES = ['query', 'ingest', 'classifier', 'correlator', 'notifier'];

describe.each(VALUE_FILES)('the chart with ci/%s', (file) => {
  let objects: KubernetesObject[];

  beforeAll(async () => {
    objects = await renderChart({ valuesFiles: [`ci/${file}`] });
  });

  it('passes helm lint --strict', async () => {
    const result = await lintChart({ valuesFiles: [`ci/${file}`] });
    expect(result.stderr + result.stdout).not.toMatch(/\[(ERROR|WARNING)\]/);
    expect(result.code).toBe(0);
  });

  it('installs with --dry-run=client: hooks and the release notes render too', async () => {
    const result = await helm([
      'install',
      'vigil',
      '.',
      '--dry-run=client',
      '-n',
      'vigil',
      '-f',
      `ci/${file}`,
    ]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('NOTES:\nVigil');
  });

  it('renders only objects that their Kubernetes schema accepts', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(kubernetesSchemaErrors)).toEqual([]);
  });

  it('runs every pod under the restricted Pod Security Standard with a read-only root filesystem', () => {
    const workloads = objects.filter((object) => podSpecOf(object));
    expect(workloads.length).toBeGreaterThan(0);
    const problems = workloads.flatMap((object) =>
      restrictedPodSecurityViolations(podSpecOf(object)!).map(
        (p) => `${object.kind} ${object.metadata.name}: ${p}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('labels every object as part of the release and mounts no ServiceAccount token', () => {
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'vigil',
        'app.kubernetes.io/instance': 'vigil',
      });
      const spec = podSpecOf(object) as { automountServiceAccountToken?: boolean } | undefined;
      if (spec) expect(spec.automountServiceAccountToken).toBe(false);
    }
  });

  it('drains before it is killed: grace period > preStop + SHUTDOWN_TIMEOUT_MS', () => {
    for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
      const spec = podSpecOf(deployment)!;
      const sleep = (
        spec.containers![0].lifecycle as { preStop?: { exec: { command: string[] } } } | undefined
      )?.preStop?.exec.command[1];
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(15 + Number(sleep ?? 0));
    }
  });
});

describe('what each value file renders', () => {
  it('minimal: five services with autoscalers and budgets, the hook Job, the database URL in a Secret', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/minimal-values.yaml'] });
    expect(kinds(objects)).toEqual({
      ConfigMap: 1,
      Deployment: 5,
      HorizontalPodAutoscaler: 5,
      Job: 1,
      PodDisruptionBudget: 5,
      Secret: 2,
      Service: 5,
    });
    const config = find(objects, 'ConfigMap', 'vigil') as KubernetesObject & { data: Record<string, string> };
    expect(config.data).toMatchObject({ NATS_URL: 'nats://nats.nats.svc:4222', NATS_STREAM_REPLICAS: '1' });
    expect(JSON.stringify(config)).not.toContain('secret@');
    for (const name of SERVICES) {
      const deployment = find(objects, 'Deployment', `vigil-${name}`);
      expect(envOf(deployment).get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: 'vigil',
        key: 'DATABASE_URL',
      });
      const image = podSpecOf(deployment)!.containers![0].image;
      expect(image).toBe(`ghcr.io/acme/vigil-${name}:0.1.0`);
    }
    expect(find(objects, 'Job', 'vigil-migrate').metadata.annotations?.['helm.sh/hook']).toBe(
      'pre-install,pre-upgrade',
    );
  });

  it('highly available: R3 streams, three replicas at least, two kept through disruptions, NATS credentials from a Secret', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/ha-values.yaml'] });
    expect(kinds(objects)).toEqual({
      ConfigMap: 1,
      Deployment: 5,
      HorizontalPodAutoscaler: 5,
      Job: 1,
      PodDisruptionBudget: 5,
      Service: 5,
    });
    const config = find(objects, 'ConfigMap', 'vigil') as KubernetesObject & { data: Record<string, string> };
    expect(config.data.NATS_STREAM_REPLICAS).toBe('3');
    expect(config.data.NATS_URL.split(',')).toHaveLength(3);
    const job = find(objects, 'Job', 'vigil-migrate');
    expect(envOf(job, 'provision').get('NATS_STREAM_REPLICAS')?.value).toBe('3');
    for (const name of SERVICES) {
      const hpa = find(objects, 'HorizontalPodAutoscaler', `vigil-${name}`) as KubernetesObject & {
        spec: { minReplicas: number };
      };
      expect(hpa.spec.minReplicas).toBe(3);
      const pdb = find(objects, 'PodDisruptionBudget', `vigil-${name}`) as KubernetesObject & {
        spec: { minAvailable: number };
      };
      expect(pdb.spec.minAvailable).toBe(2);
      for (const target of [find(objects, 'Deployment', `vigil-${name}`), job]) {
        const env = envOf(target, target.kind === 'Job' ? 'provision' : undefined);
        expect(env.get('NATS_USER')?.valueFrom?.secretKeyRef).toEqual({
          name: 'vigil-nats-auth',
          key: 'user',
        });
        expect(env.get('NATS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
          name: 'vigil-nats-auth',
          key: 'password',
        });
      }
    }
  });

  it('existing secrets only: the chart renders no Secret and takes every credential from the named ones', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/existing-secrets-values.yaml'] });
    expect(kinds(objects).Secret).toBeUndefined();
    const references = new Set<string>();
    for (const object of objects) {
      for (const container of containers(object)) {
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) references.add(`${variable.name} <- ${ref.name}/${ref.key}`);
        }
      }
    }
    expect([...references].sort()).toEqual([
      'CLASSIFIER_ADMIN_TOKEN <- vigil-tokens/classifier',
      'DATABASE_URL <- vigil-db/uri',
      'INGEST_ADMIN_TOKEN <- vigil-tokens/ingest',
      'NATS_URL <- vigil-nats-url/url',
      'NOTIFIER_ACTION_LINK_SECRETS <- vigil-action-links/keys',
      'NOTIFIER_WEBHOOK_SECRETS <- vigil-webhooks/signing',
      'NOTIFIER_WEBHOOK_URLS <- vigil-webhooks/urls',
      'QUERY_OPERATOR_TOKEN <- vigil-tokens/query',
    ]);
    const notifier = find(objects, 'Deployment', 'vigil-notifier');
    expect(envOf(notifier).get('NATS_TLS_CERT_FILE')?.value).toBe('/etc/vigil/nats-tls/tls.crt');
    expect(envOf(notifier).get('NATS_CREDS_FILE')?.value).toBe('/etc/vigil/nats-creds/vigil.creds');
    expect(containers(notifier)[0].volumeMounts).toContainEqual({
      name: 'nats-creds',
      mountPath: '/etc/vigil/nats-creds',
      readOnly: true,
    });
    expect(containers(notifier)[0].volumeMounts).toContainEqual({
      name: 'nats-tls',
      mountPath: '/etc/vigil/nats-tls',
      readOnly: true,
    });
    expect(
      (find(objects, 'ConfigMap', 'vigil') as KubernetesObject & { data: object }).data,
    ).not.toHaveProperty('NATS_URL');
  });

  it('ingress with TLS: query and ingest hosts, /actions to the notifier, syslog load balancer, network policies', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/ingress-tls-values.yaml'] });
    expect(kinds(objects)).toEqual({
      ConfigMap: 1,
      Deployment: 5,
      HorizontalPodAutoscaler: 5,
      Ingress: 2,
      Job: 1,
      NetworkPolicy: 5,
      PodDisruptionBudget: 5,
      Secret: 2,
      Service: 6,
    });
    const query = find(objects, 'Ingress', 'vigil-query') as KubernetesObject & {
      spec: {
        tls: { hosts: string[]; secretName: string }[];
        rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
      };
    };
    expect(query.spec.tls).toEqual([{ hosts: ['vigil.example.com'], secretName: 'vigil-query-tls' }]);
    expect(query.spec.rules[0].http.paths.map((p) => `${p.path} -> ${p.backend.service.name}`)).toEqual([
      '/actions -> vigil-notifier',
      '/ -> vigil-query',
    ]);
    expect(find(objects, 'Ingress', 'vigil-ingest').metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
    });
    expect(
      envOf(find(objects, 'Deployment', 'vigil-ingest')).get('NATS_TOKEN')?.valueFrom?.secretKeyRef,
    ).toEqual({
      name: 'vigil-nats-token',
      key: 'token',
    });
    expect(envOf(find(objects, 'Deployment', 'vigil-notifier')).get('NOTIFIER_PUBLIC_URL')?.value).toBe(
      'https://vigil.example.com',
    );
    const syslog = find(objects, 'Service', 'vigil-ingest-syslog') as KubernetesObject & {
      spec: { type: string; loadBalancerSourceRanges: string[]; ports: { protocol: string }[] };
    };
    expect(syslog.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.20.0.0/16'] });
    expect(syslog.spec.ports.map((p) => p.protocol)).toEqual(['UDP', 'TCP']);
    const correlator = find(objects, 'NetworkPolicy', 'vigil-correlator') as KubernetesObject & {
      spec: { egress: { ports: { port: number }[]; to?: unknown[] }[]; ingress: { from?: unknown[] }[] };
    };
    expect(correlator.spec.egress.map((rule) => rule.ports?.map((p) => p.port))).toEqual([
      [4222],
      [5432],
      [53, 53],
    ]);
    expect(JSON.stringify(correlator.spec.ingress)).toContain('monitoring');
    const notifier = find(objects, 'NetworkPolicy', 'vigil-notifier') as KubernetesObject & {
      spec: { egress: unknown[] };
    };
    expect(notifier.spec.egress).toHaveLength(4);
  });

  it('everything disabled: one Deployment at a fixed count and its Service, nothing optional', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/disabled-values.yaml'] });
    expect(kinds(objects)).toEqual({ ConfigMap: 1, Deployment: 1, Service: 1 });
    const deployment = find(objects, 'Deployment', 'vigil-ingest') as KubernetesObject & {
      spec: { replicas: number };
    };
    expect(deployment.spec.replicas).toBe(1);
    const spec = podSpecOf(deployment) as {
      topologySpreadConstraints?: unknown;
      containers: { lifecycle?: unknown; ports: unknown[] }[];
    };
    expect(spec.topologySpreadConstraints).toBeUndefined();
    expect(spec.containers[0].lifecycle).toBeUndefined();
    expect(spec.containers[0].ports).toHaveLength(1);
    expect(envOf(deployment).get('SYSLOG_UDP_PORT')?.value).toBe('-1');
  });

  it('gateway, KEDA and monitoring: routes, a ScaledObject per consuming service instead of its HPA, rules and dashboard', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/gateway-keda-monitoring-values.yaml'] });
    expect(kinds(objects)).toEqual({
      ConfigMap: 2,
      Deployment: 5,
      HTTPRoute: 2,
      HorizontalPodAutoscaler: 1,
      Job: 1,
      PodDisruptionBudget: 5,
      PrometheusRule: 1,
      ScaledObject: 4,
      Secret: 2,
      Service: 5,
      ServiceMonitor: 5,
    });
    expect(find(objects, 'HorizontalPodAutoscaler', 'vigil-query')).toBeDefined();
    const route = find(objects, 'HTTPRoute', 'vigil-query') as KubernetesObject & {
      spec: { hostnames: string[]; rules: { backendRefs: { name: string; port: number }[] }[] };
    };
    expect(route.spec.hostnames).toEqual(['vigil.example.com']);
    expect(route.spec.rules.map((rule) => rule.backendRefs[0])).toEqual([
      { name: 'vigil-notifier', port: 8084 },
      { name: 'vigil-query', port: 8080 },
    ]);
    const dashboard = find(objects, 'ConfigMap', 'vigil-dashboard') as KubernetesObject & {
      data: Record<string, string>;
    };
    expect(dashboard.metadata.labels?.grafana_dashboard).toBe('1');
    expect(JSON.parse(dashboard.data['vigil.json'])).toMatchObject({ uid: 'vigil-overview' });
  });
});

describe('KEDA triggers', () => {
  it('name exactly the durable consumers each service runs (libs/contracts), on the prefixed streams', async () => {
    const objects = await renderChart({ valuesFiles: ['ci/gateway-keda-monitoring-values.yaml'] });
    const rendered = objects
      .filter((o) => o.kind === 'ScaledObject')
      .flatMap((o) => {
        const triggers = (o.spec as { triggers: { type: string; metadata: Record<string, string> }[] })
          .triggers;
        return triggers
          .filter((t) => t.type === 'nats-jetstream')
          .map(
            (t) => `${o.metadata.name.replace('vigil-', '')}: ${t.metadata.stream}/${t.metadata.consumer}`,
          );
      })
      .sort();
    const expected = Object.values(Consumers)
      .map((c) => `${c.durable.split('-')[0]}: PROD_EU_${c.stream}/${c.durable}`)
      .sort();
    expect(rendered).toEqual(expected);
  });
});

describe('values that cannot work are refused with a message naming them', () => {
  const base = { valuesFiles: ['ci/minimal-values.yaml'] };
  it.each<[string, Record<string, string | number | boolean>, string]>([
    [
      'a stream replica count NATS cannot have',
      { 'config.streamReplicas': 2 },
      "at '/config/streamReplicas': value must be one of 1, 3, 5",
    ],
    [
      'a misspelt setting',
      { 'services.ingest.autoscalng.enabled': false },
      "at '/services/ingest': additional properties 'autoscalng' not allowed",
    ],
    ['a database URL that is not postgres://', { 'postgres.url': 'mysql://db/vigil' }, "at '/postgres/url'"],
    ['an unknown log level', { 'config.logLevel': 'chatty' }, "at '/config/logLevel': value must be one of"],
    [
      'a string where a number belongs',
      { 'services.query.port': 'http' },
      "at '/services/query/port': got string, want integer",
    ],
    ['no database at all', { 'postgres.url': '' }, 'postgres.url or postgres.existingSecret'],
    ['KEDA without NATS monitoring', { 'services.ingest.keda.enabled': true }, 'keda.natsMonitoringEndpoint'],
    [
      'an Ingress without a host',
      { 'ingress.enabled': true, 'ingress.ingest.enabled': false },
      'ingress.query.host is required',
    ],
    [
      'the database URL in env',
      { 'services.query.env.DATABASE_URL': 'postgres://x/y' },
      'services.query.env.DATABASE_URL: set it through its own value',
    ],
    [
      'a grace period shorter than the drain',
      { terminationGracePeriodSeconds: 10 },
      'terminationGracePeriodSeconds (10) must exceed',
    ],
    [
      'more minimum than maximum replicas',
      { 'services.notifier.autoscaling.minReplicas': 9 },
      'services.notifier.autoscaling: minReplicas exceeds maxReplicas',
    ],
  ])('%s', async (_, set, message) => {
    const result = await renderChartResult({ ...base, set });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});

describe('the README', () => {
  it('has a parameter table generated from the current values.yaml', async () => {
    // `npm run chart:readme` regenerates it; --check fails, naming the command, when it is stale.
    await expect(
      run(process.execPath, [join(workspaceRoot(), 'tools', 'chart-readme.js'), '--check']),
    ).resolves.toBeDefined();
  });
});

describe('the alert rules and the dashboard', () => {
  let dir: string;
  let rules: { groups: { name: string; rules: { alert: string; expr: string; annotations?: object }[] }[] };
  let dashboard: { panels: { id: number; type: string; targets?: { expr: string }[] }[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
    const objects = await renderChart({ valuesFiles: ['ci/gateway-keda-monitoring-values.yaml'] });
    rules = find(objects, 'PrometheusRule', 'vigil').spec as typeof rules;
    const configMap = find(objects, 'ConfigMap', 'vigil-dashboard') as KubernetesObject & {
      data: Record<string, string>;
    };
    dashboard = JSON.parse(configMap.data['vigil.json']) as typeof dashboard;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function promtool(args: string[]): Promise<string> {
    try {
      const { stdout, stderr } = await run('promtool', args, { cwd: dir });
      return stdout + stderr;
    } catch (error) {
      const failed = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (failed.code === 'ENOENT')
        throw new Error('promtool is missing: apt-get install prometheus (Debian ships it there)');
      throw new Error(`promtool ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
  }

  it('are valid Prometheus rules (promtool check rules)', async () => {
    writeFileSync(join(dir, 'rules.yaml'), stringify(rules));
    await expect(promtool(['check', 'rules', 'rules.yaml'])).resolves.toContain('SUCCESS: 6 rules found');
  });

  it('fire when the pipeline fails and stay quiet when it is healthy (promtool test rules)', async () => {
    // Annotations are templates checked above; the unit tests compare labels only.
    const bare = {
      groups: rules.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...r }) => r) })),
    };
    writeFileSync(join(dir, 'bare-rules.yaml'), stringify(bare));
    const series = (name: string, labels: Record<string, string>, values: string) => ({
      series: `${name}{${Object.entries({ namespace: 'vigil', ...labels })
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`,
      values,
    });
    const tests = {
      rule_files: ['bare-rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            // Growing by 1,000 a minute past the 10,000 threshold, and a large but steady backlog.
            series(
              'vigil_classifier_consumer_pending_messages',
              { service: 'classifier', consumer: 'classifier-accepted', pod: 'c-1' },
              '0+1000x40',
            ),
            series(
              'vigil_notifier_consumer_pending_messages',
              { service: 'notifier', consumer: 'notifier-alerts', pod: 'n-1' },
              '20000x40',
            ),
            // Three dead letters at minute 20; another consumer only acknowledges.
            series(
              'vigil_correlator_messages_total',
              { service: 'correlator', consumer: 'correlator-classified', outcome: 'dead_lettered' },
              '0x20 3x20',
            ),
            series(
              'vigil_ingest_messages_total',
              { service: 'ingest', consumer: 'ingest-raw', outcome: 'acked' },
              '0+100x40',
            ),
            // The outbox stops relaying at minute 10: its oldest row ages from then on.
            series(
              'vigil_correlator_outbox_oldest_age_seconds',
              { service: 'correlator', pod: 'c-1' },
              '0x10 60+60x30',
            ),
            // One notifier pod loses Postgres at minute 10; the other stays ready until minute 25.
            series('vigil_notifier_ready', { service: 'notifier', pod: 'n-1' }, '1x10 0x30'),
            series('vigil_notifier_ready', { service: 'notifier', pod: 'n-2' }, '1x25 0x15'),
            series(
              'vigil_notifier_deliveries_total',
              { service: 'notifier', channel: 'slack', outcome: 'failed' },
              '0x30 1x10',
            ),
            series(
              'vigil_notifier_deliveries_total',
              { service: 'notifier', channel: 'email', outcome: 'sent' },
              '0+5x40',
            ),
          ],
          alert_rule_test: [
            { eval_time: '15m', alertname: 'VigilConsumerLagGrowing', exp_alerts: [] },
            {
              eval_time: '30m',
              alertname: 'VigilConsumerLagGrowing',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'warning',
                    namespace: 'vigil',
                    service: 'classifier',
                    consumer: 'classifier-accepted',
                  },
                },
              ],
            },
            { eval_time: '19m', alertname: 'VigilDeadLetters', exp_alerts: [] },
            {
              eval_time: '22m',
              alertname: 'VigilDeadLetters',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'warning',
                    namespace: 'vigil',
                    service: 'correlator',
                    consumer: 'correlator-classified',
                  },
                },
              ],
            },
            { eval_time: '12m', alertname: 'VigilOutboxBacklog', exp_alerts: [] },
            {
              eval_time: '20m',
              alertname: 'VigilOutboxBacklog',
              exp_alerts: [{ exp_labels: { severity: 'critical', namespace: 'vigil' } }],
            },
            {
              eval_time: '20m',
              alertname: 'VigilServiceNotReady',
              exp_alerts: [
                { exp_labels: { severity: 'warning', namespace: 'vigil', service: 'notifier', pod: 'n-1' } },
              ],
            },
            { eval_time: '20m', alertname: 'VigilServiceDown', exp_alerts: [] },
            {
              eval_time: '30m',
              alertname: 'VigilServiceDown',
              exp_alerts: [{ exp_labels: { severity: 'critical', namespace: 'vigil', service: 'notifier' } }],
            },
            { eval_time: '30m', alertname: 'VigilNotificationsFailing', exp_alerts: [] },
            {
              eval_time: '33m',
              alertname: 'VigilNotificationsFailing',
              exp_alerts: [{ exp_labels: { severity: 'critical', namespace: 'vigil', channel: 'slack' } }],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yaml'), stringify(tests));
    await expect(promtool(['test', 'rules', 'tests.yaml'])).resolves.toContain('SUCCESS');
  });

  it('has a dashboard whose every query is valid PromQL', async () => {
    const targets = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((t, i) => ({ panel: panel.id, i, expr: t.expr })),
    );
    expect(targets.length).toBeGreaterThan(15);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    // Grafana's variables become what they stand for, so promtool can parse each query as a rule.
    const asRules = {
      groups: [
        {
          name: 'dashboard',
          rules: targets.map((t) => ({
            record: `vigil:dashboard:panel_${t.panel}_${t.i}`,
            expr: t.expr
              .replaceAll('$__rate_interval', '5m')
              .replaceAll('$__range', '1h')
              .replaceAll('$namespace', '.*'),
          })),
        },
      ],
    };
    writeFileSync(join(dir, 'dashboard-rules.yaml'), stringify(asRules));
    await expect(promtool(['check', 'rules', 'dashboard-rules.yaml'])).resolves.toContain('SUCCESS');
  });

  it('keeps its queries in the file the chart ships', () => {
    const shipped = JSON.parse(
      readFileSync(join(CHART_DIR, 'files', 'vigil-dashboard.json'), 'utf8'),
    ) as typeof dashboard;
    expect(shipped).toEqual(dashboard);
  });
});
