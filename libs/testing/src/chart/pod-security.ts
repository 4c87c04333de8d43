/**
 * The Kubernetes Pod Security Standards' `restricted` profile (the checks of the baseline and
 * restricted levels, https://kubernetes.io/docs/concepts/security/pod-security-standards/), plus
 * a read-only root filesystem, which Vigil's pods promise as well. Pure: it reads a pod spec.
 */

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  procMount?: string;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
  appArmorProfile?: { type?: string };
  seLinuxOptions?: { type?: string; user?: string; role?: string };
  windowsOptions?: { hostProcess?: boolean };
  sysctls?: { name: string }[];
}

interface Container {
  name: string;
  securityContext?: SecurityContext;
  ports?: { hostPort?: number }[];
  [field: string]: unknown;
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Record<string, unknown>[];
  [field: string]: unknown;
}

/** Volume sources the restricted profile allows. */
const ALLOWED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

/** Every way the pod breaks the restricted profile (or writes to its root filesystem); empty if none. */
export function restrictedPodSecurityViolations(spec: PodSpec): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field]) problems.push(`${field} must not be true`);
  }
  for (const volume of spec.volumes ?? []) {
    const source = Object.keys(volume).find((key) => key !== 'name');
    if (source && !ALLOWED_VOLUMES.has(source)) {
      problems.push(`volume ${String(volume.name)}: ${source} volumes are not allowed`);
    }
  }
  for (const sysctl of pod.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(sysctl.name)) problems.push(`sysctl ${sysctl.name} is not in the safe set`);
  }
  problems.push(...contextProblems('pod', pod));

  const containers = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  for (const container of containers) {
    const where = `container ${container.name}`;
    const own = container.securityContext ?? {};
    problems.push(...contextProblems(where, own));
    if (own.privileged) problems.push(`${where}: privileged must not be true`);
    if (own.allowPrivilegeEscalation !== false)
      problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!(own.runAsNonRoot ?? pod.runAsNonRoot)) problems.push(`${where}: runAsNonRoot must be true`);
    const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      problems.push(
        `${where}: seccompProfile.type must be RuntimeDefault or Localhost (got ${seccomp ?? 'none'})`,
      );
    }
    if (!own.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
    for (const added of own.capabilities?.add ?? []) {
      if (added !== 'NET_BIND_SERVICE') problems.push(`${where}: capability ${added} may not be added`);
    }
    for (const port of container.ports ?? []) {
      if (port.hostPort) problems.push(`${where}: hostPort ${port.hostPort} is not allowed`);
    }
    if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  }
  return problems;
}

/** Checks that apply to the pod's and to each container's security context alike. */
function contextProblems(where: string, context: SecurityContext): string[] {
  const problems: string[] = [];
  if (context.runAsUser === 0) problems.push(`${where}: runAsUser must not be 0`);
  if (context.runAsNonRoot === false) problems.push(`${where}: runAsNonRoot must not be false`);
  if (context.windowsOptions?.hostProcess) problems.push(`${where}: hostProcess must not be true`);
  if (context.seccompProfile?.type === 'Unconfined')
    problems.push(`${where}: seccomp must not be Unconfined`);
  if (context.appArmorProfile?.type === 'Unconfined')
    problems.push(`${where}: AppArmor must not be Unconfined`);
  if (context.procMount && context.procMount !== 'Default')
    problems.push(`${where}: procMount must be Default`);
  const selinux = context.seLinuxOptions;
  if (selinux && (!SELINUX_TYPES.has(selinux.type ?? '') || selinux.user || selinux.role)) {
    problems.push(`${where}: seLinuxOptions may only set an allowed type`);
  }
  return problems;
}

/** The pod spec of a workload object (Deployment, Job, ...), or undefined for other kinds. */
export function podSpecOf(object: { kind: string; spec?: unknown }): PodSpec | undefined {
  const spec = object.spec as
    { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } | undefined;
  switch (object.kind) {
    case 'Pod':
      return object.spec as PodSpec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec?.template?.spec;
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}
