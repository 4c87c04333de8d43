import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from './helm';
import { podSpecOf } from './pod-security';

/** Secrets the cluster would hold beside the release: name → key → value. */
export type SecretStore = Record<string, Record<string, string>>;

interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef; [other: string]: unknown };
}
interface EnvFrom {
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
  prefix?: string;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
}
interface Volume {
  name: string;
  secret?: { secretName: string };
  configMap?: { name: string };
}

/** One container of a rendered workload, with everything Kubernetes would resolve for it. */
export interface ResolvedContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  /** The variables as the process would see them: envFrom first, then env, which wins. */
  env: Record<string, string>;
  /** Files of mounted Secrets and ConfigMaps: mount path → file name → contents. */
  mounts: Record<string, Record<string, string>>;
  /** Container ports by name. */
  ports: Record<string, number>;
  /** The HTTP probes, with their port resolved to a number. */
  probes: { startup?: HttpCheck; liveness?: HttpCheck; readiness?: HttpCheck };
  /** The user and group the container runs as (pod security context, overridden per container). */
  user: { uid?: number; gid?: number };
}

export interface HttpCheck {
  path: string;
  port: number;
}

/** ConfigMaps and Secrets by name: the rendered ones and those the test says the cluster has. */
function sources(objects: KubernetesObject[], secrets: SecretStore) {
  const configMaps: Record<string, Record<string, string>> = {};
  const allSecrets: SecretStore = { ...secrets };
  for (const object of objects) {
    if (object.kind === 'ConfigMap')
      configMaps[object.metadata.name] = (object.data ?? {}) as Record<string, string>;
    if (object.kind === 'Secret' && !object.metadata.annotations?.['helm.sh/hook']) {
      const decoded = Object.fromEntries(
        Object.entries((object.data ?? {}) as Record<string, string>).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString('utf8'),
        ]),
      );
      allSecrets[object.metadata.name] = {
        ...decoded,
        ...((object.stringData ?? {}) as Record<string, string>),
      };
    }
  }
  return { configMaps, secrets: allSecrets };
}

function lookup(
  store: Record<string, Record<string, string>>,
  kind: string,
  ref: KeyRef,
  variable: string,
): string | undefined {
  const value = store[ref.name]?.[ref.key];
  if (value === undefined && !ref.optional) {
    throw new Error(
      `${variable}: ${kind} ${ref.name} has no key ${ref.key} (the cluster would not start the pod)`,
    );
  }
  return value;
}

/**
 * The containers (init containers first) of a Deployment or Job as Kubernetes would run them: the
 * environment resolved from ConfigMaps and Secrets, mounted files, ports, probes and the user. A
 * reference the cluster could not satisfy throws, naming it. Secrets the chart renders itself are
 * read from `objects`, except hook Secrets (they exist only while the hook Job runs, which
 * `hookSecrets` covers by also reading them).
 */
export function resolveContainers(
  objects: KubernetesObject[],
  workload: KubernetesObject,
  secrets: SecretStore = {},
  { hookSecrets = workload.kind === 'Job' }: { hookSecrets?: boolean } = {},
): ResolvedContainer[] {
  const { configMaps, secrets: allSecrets } = sources(objects, secrets);
  if (hookSecrets) {
    for (const object of objects) {
      if (object.kind === 'Secret' && object.metadata.annotations?.['helm.sh/hook']) {
        allSecrets[object.metadata.name] = (object.stringData ?? {}) as Record<string, string>;
      }
    }
  }
  const pod = podSpecOf(workload) as unknown as {
    containers: ContainerSpec[];
    initContainers?: ContainerSpec[];
    volumes?: Volume[];
    securityContext?: { runAsUser?: number; runAsGroup?: number };
  };
  const volumes = new Map((pod.volumes ?? []).map((volume) => [volume.name, volume]));

  return [...(pod.initContainers ?? []), ...pod.containers].map((container) => {
    const env: Record<string, string> = {};
    for (const from of container.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      const store = from.configMapRef ? configMaps : allSecrets;
      const data = ref ? store[ref.name] : undefined;
      if (ref && !data && !ref.optional) throw new Error(`envFrom: ${ref.name} does not exist`);
      for (const [key, value] of Object.entries(data ?? {})) env[`${from.prefix ?? ''}${key}`] = value;
    }
    for (const variable of container.env ?? []) {
      if (variable.valueFrom?.secretKeyRef) {
        const value = lookup(allSecrets, 'Secret', variable.valueFrom.secretKeyRef, variable.name);
        if (value !== undefined) env[variable.name] = value;
      } else if (variable.valueFrom?.configMapKeyRef) {
        const value = lookup(configMaps, 'ConfigMap', variable.valueFrom.configMapKeyRef, variable.name);
        if (value !== undefined) env[variable.name] = value;
      } else if (variable.valueFrom) {
        throw new Error(`${variable.name}: only Secret and ConfigMap references are resolved here`);
      } else {
        env[variable.name] = variable.value ?? '';
      }
    }
    const mounts: ResolvedContainer['mounts'] = {};
    for (const mount of container.volumeMounts ?? []) {
      const volume = volumes.get(mount.name);
      if (!volume) throw new Error(`volume mount ${mount.name}: no such volume`);
      if (volume.secret) {
        const data = allSecrets[volume.secret.secretName];
        if (!data) throw new Error(`volume ${mount.name}: Secret ${volume.secret.secretName} does not exist`);
        mounts[mount.mountPath] = data;
      } else if (volume.configMap) {
        const data = configMaps[volume.configMap.name];
        if (!data) throw new Error(`volume ${mount.name}: ConfigMap ${volume.configMap.name} does not exist`);
        mounts[mount.mountPath] = data;
      }
    }
    const ports = Object.fromEntries(
      (container.ports ?? []).filter((p) => p.name).map((p) => [p.name!, p.containerPort]),
    );
    const check = (probe?: Probe): HttpCheck | undefined => {
      if (!probe?.httpGet) return undefined;
      const { path, port } = probe.httpGet;
      const number = typeof port === 'number' ? port : ports[port];
      if (number === undefined)
        throw new Error(`${container.name}: probe port ${port} is not a container port`);
      return { path, port: number };
    };
    return {
      name: container.name,
      image: container.image,
      command: container.command,
      args: container.args,
      env,
      mounts,
      ports,
      probes: {
        startup: check(container.startupProbe),
        liveness: check(container.livenessProbe),
        readiness: check(container.readinessProbe),
      },
      user: {
        uid: container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser,
        gid: container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup,
      },
    };
  });
}

/**
 * Writes a container's mounted files under `root` (as the kubelet would at their mount paths) and
 * returns its environment with every value that points into a mount pointed at the written copy.
 */
export function materialiseMounts(container: ResolvedContainer, root: string): Record<string, string> {
  const env = { ...container.env };
  for (const [mountPath, files] of Object.entries(container.mounts)) {
    const dir = join(root, mountPath);
    mkdirSync(dir, { recursive: true });
    for (const [file, contents] of Object.entries(files))
      writeFileSync(join(dir, file), contents, { mode: 0o644 });
    for (const [name, value] of Object.entries(env)) {
      if (value === mountPath || value.startsWith(`${mountPath}/`)) env[name] = join(root, value);
    }
  }
  return env;
}
