import { PodSpec, restrictedPodSecurityViolations } from './pod-security';

/** A pod as Vigil's chart renders it: what the restricted profile asks for. */
function compliant(): PodSpec {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        ports: [{}],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}

describe('restrictedPodSecurityViolations', () => {
  it('accepts a pod that meets the restricted profile', () => {
    expect(restrictedPodSecurityViolations(compliant())).toEqual([]);
  });

  it.each<[string, (spec: PodSpec) => void, string]>([
    ['host network', (s) => (s.hostNetwork = true), 'hostNetwork must not be true'],
    [
      'a hostPath volume',
      (s) => s.volumes!.push({ name: 'h', hostPath: { path: '/' } }),
      'hostPath volumes are not allowed',
    ],
    ['root', (s) => (s.securityContext!.runAsUser = 0), 'runAsUser must not be 0'],
    ['no runAsNonRoot', (s) => delete s.securityContext!.runAsNonRoot, 'runAsNonRoot must be true'],
    [
      'no seccomp profile',
      (s) => delete s.securityContext!.seccompProfile,
      'seccompProfile.type must be RuntimeDefault',
    ],
    [
      'privilege escalation',
      (s) => delete s.containers![0].securityContext!.allowPrivilegeEscalation,
      'allowPrivilegeEscalation must be false',
    ],
    [
      'capabilities kept',
      (s) => (s.containers![0].securityContext!.capabilities = {}),
      'capabilities must drop ALL',
    ],
    [
      'an added capability',
      (s) => (s.containers![0].securityContext!.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }),
      'capability NET_ADMIN may not be added',
    ],
    ['a host port', (s) => (s.containers![0].ports = [{ hostPort: 80 }]), 'hostPort 80 is not allowed'],
    [
      'a writable root filesystem',
      (s) => (s.containers![0].securityContext!.readOnlyRootFilesystem = false),
      'readOnlyRootFilesystem must be true',
    ],
    [
      'a privileged init container',
      (s) => (s.initContainers = [{ name: 'init', securityContext: { privileged: true } }]),
      'container init: privileged',
    ],
  ])('refuses %s', (_, breakIt, message) => {
    const spec = compliant();
    breakIt(spec);
    expect(restrictedPodSecurityViolations(spec).join('\n')).toContain(message);
  });

  it('accepts NET_BIND_SERVICE and a container-level seccomp profile', () => {
    const spec = compliant();
    delete spec.securityContext!.seccompProfile;
    spec.containers![0].securityContext!.seccompProfile = { type: 'Localhost' };
    spec.containers![0].securityContext!.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
    expect(restrictedPodSecurityViolations(spec)).toEqual([]);
  });
});
