import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from './helm';
import { materialiseMounts, resolveContainers } from './container-environment';

const configMap: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'shared' },
  data: { LOG_LEVEL: 'info', NATS_URL: 'nats://nats:4222' },
};
const chartSecret: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'chart' },
  stringData: { DATABASE_URL: 'postgres://db/vigil' },
};

function deployment(env: unknown[], extra: Record<string, unknown> = {}): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      template: {
        spec: {
          securityContext: { runAsUser: 1000, runAsGroup: 1000 },
          volumes: [{ name: 'tls', secret: { secretName: 'nats-tls' } }],
          containers: [
            {
              name: 'app',
              image: 'vigil-query:1',
              envFrom: [{ configMapRef: { name: 'shared' } }],
              env,
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
              volumeMounts: [{ name: 'tls', mountPath: '/etc/tls' }],
              ...extra,
            },
          ],
        },
      },
    },
  };
}

describe('resolveContainers', () => {
  const secrets = { 'nats-tls': { 'ca.crt': 'CA' }, auth: { user: 'vigil' } };

  it('resolves envFrom, then env over it, from rendered and given Secrets; ports, probes and user', () => {
    const [container] = resolveContainers(
      [configMap, chartSecret],
      deployment([
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'chart', key: 'DATABASE_URL' } } },
        { name: 'NATS_USER', valueFrom: { secretKeyRef: { name: 'auth', key: 'user' } } },
        { name: 'NATS_TLS_CA_FILE', value: '/etc/tls/ca.crt' },
      ]),
      secrets,
    );
    expect(container.env).toEqual({
      LOG_LEVEL: 'debug',
      NATS_URL: 'nats://nats:4222',
      DATABASE_URL: 'postgres://db/vigil',
      NATS_USER: 'vigil',
      NATS_TLS_CA_FILE: '/etc/tls/ca.crt',
    });
    expect(container.probes.readiness).toEqual({ path: '/readyz', port: 8080 });
    expect(container.user).toEqual({ uid: 1000, gid: 1000 });
    expect(container.mounts).toEqual({ '/etc/tls': { 'ca.crt': 'CA' } });
  });

  it('refuses what the cluster would refuse: a missing key, a missing Secret', () => {
    expect(() =>
      resolveContainers(
        [configMap],
        deployment([
          { name: 'NATS_PASSWORD', valueFrom: { secretKeyRef: { name: 'auth', key: 'password' } } },
        ]),
        secrets,
      ),
    ).toThrow('NATS_PASSWORD: Secret auth has no key password');
    expect(() => resolveContainers([configMap], deployment([]), {})).toThrow(
      'Secret nats-tls does not exist',
    );
  });

  it('writes mounted files and points the variables at them', () => {
    const root = mkdtempSync(join(tmpdir(), 'mounts-'));
    try {
      const [container] = resolveContainers(
        [configMap],
        deployment([{ name: 'NATS_TLS_CA_FILE', value: '/etc/tls/ca.crt' }]),
        secrets,
      );
      const env = materialiseMounts(container, root);
      expect(env.NATS_TLS_CA_FILE).toBe(join(root, '/etc/tls/ca.crt'));
      expect(readFileSync(env.NATS_TLS_CA_FILE, 'utf8')).toBe('CA');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
