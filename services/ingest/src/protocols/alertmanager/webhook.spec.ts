import { validateProducerEvent } from '@vigil/contracts';
import {
  AlertmanagerNotification,
  instanceHost,
  labelSetFingerprint,
  mapAlerts,
  MappedAlert,
  notificationStatus,
  readNotification,
  severityOf,
} from './webhook';

const probeLabels: Record<string, string> = {
  alertname: 'ProbeFailure',
  instance: 'web-1.example.org:9115',
  job: 'http_checks',
  severity: 'critical',
  service: 'shop',
  env: 'prod',
};

/** A notification as Alertmanager 0.27 sends it (notify/webhook: template.Data + version, groupKey, truncatedAlerts). */
const notification = () => ({
  receiver: 'vigil',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: probeLabels,
      annotations: {
        summary: 'BlackBox Probe Failure: web-1.example.org',
        description: 'Instance web-1.example.org has been down for over 5m. Job: http_checks',
        runbook_url: 'https://runbooks.example.org/probe',
      },
      startsAt: '2026-02-06T13:08:45.828716195Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1',
      fingerprint: '1a30ba71cca2921f',
    },
    {
      status: 'resolved',
      labels: { alertname: 'DiskFull', node: 'db-1', mountpoint: '/var' },
      annotations: { description: 'disk /var on db-1 is 97% full' },
      startsAt: '2026-02-06T12:00:00Z',
      endsAt: '2026-02-06T13:00:00.5+01:00',
      generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=disk',
      fingerprint: 'c6eadffa33fcdf37',
    },
  ],
  groupLabels: { alertname: 'ProbeFailure' },
  commonLabels: { job: 'http_checks' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example.org:9093',
  version: '4',
  groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
  truncatedAlerts: 0,
});

function read(body: unknown): AlertmanagerNotification {
  const result = readNotification(body);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function events(mapped: MappedAlert[]) {
  return mapped.map((alert) => {
    if (!alert.event.ok) throw new Error(JSON.stringify(alert.event.errors));
    return alert.event.value;
  });
}

describe('readNotification', () => {
  it('accepts a version 4 notification', () => {
    expect(readNotification(notification()).ok).toBe(true);
  });

  it('refuses other versions and a missing alert list, naming the fields', () => {
    const result = readNotification({ ...notification(), version: '3', alerts: undefined });
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['version', 'alerts']);
    expect(!result.ok && result.errors[0].reason).toMatch(/must be "4".*\(got "3"\)/);
  });

  it('refuses a body that is not an object, and mistyped envelope fields', () => {
    expect(readNotification([1]).ok).toBe(false);
    const result = readNotification({
      ...notification(),
      receiver: 7,
      commonLabels: { a: 1 },
      truncatedAlerts: -1,
    });
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual([
      'receiver',
      'commonLabels.a',
      'truncatedAlerts',
    ]);
  });
});

describe('mapAlerts', () => {
  it('maps a firing alert with its severity, node, summary, labels and context', () => {
    const [firing] = events(mapAlerts(read(notification()), 'prometheus'));
    expect(firing).toMatchObject({
      source: 'prometheus',
      node: 'web-1.example.org',
      type: 'ProbeFailure',
      summary: 'BlackBox Probe Failure: web-1.example.org',
      severity: 'critical',
      occurredAt: '2026-02-06T13:08:45.828716195Z',
      fingerprint: 'am:1a30ba71cca2921f',
      service: 'shop',
      environment: 'prod',
      labels: probeLabels,
    });
    expect(firing.id).toMatch(/^am:[0-9a-f]{64}$/);
    expect(firing.attributes).toEqual({
      alertmanager: {
        receiver: 'vigil',
        externalURL: 'http://alertmanager.example.org:9093',
        groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
        status: 'firing',
        annotations: notification().alerts[0].annotations,
        startsAt: '2026-02-06T13:08:45.828716195Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: notification().alerts[0].generatorURL,
        fingerprint: '1a30ba71cca2921f',
      },
    });
    expect(validateProducerEvent(firing).ok).toBe(true);
  });

  it('maps a resolved alert to cleared at its end, with the description as summary', () => {
    const [, resolved] = events(mapAlerts(read(notification()), 'prometheus'));
    expect(resolved).toMatchObject({
      node: 'db-1',
      type: 'DiskFull',
      summary: 'disk /var on db-1 is 97% full',
      severity: 'cleared',
      occurredAt: '2026-02-06T13:00:00.5+01:00',
      fingerprint: 'am:c6eadffa33fcdf37',
    });
    expect(resolved.service).toBeUndefined();
  });

  it('gives repeat notifications of one firing period the same id, and a re-fire or resolve a new one', () => {
    const idOf = (alert: Record<string, unknown>) =>
      events(mapAlerts(read({ ...notification(), alerts: [alert] }), 'p'))[0].id;
    const firing = notification().alerts[0];
    const first = idOf(firing);
    expect(idOf({ ...firing, endsAt: '2026-02-06T14:00:00Z' })).toBe(first);
    expect(idOf({ ...firing, startsAt: '2026-02-06T15:00:00Z' })).not.toBe(first);
    expect(idOf({ ...firing, status: 'resolved', endsAt: '2026-02-06T14:00:00Z' })).not.toBe(first);
    const resolvedAt = (endsAt: string) => idOf({ ...firing, status: 'resolved', endsAt });
    expect(resolvedAt('2026-02-06T14:00:00Z')).not.toBe(resolvedAt('2026-02-06T14:05:00Z'));
  });

  it('reports a bad alert under its index and still maps the others', () => {
    const body = notification();
    const bad = { ...body.alerts[0], labels: { job: 'x' }, startsAt: 'yesterday' };
    const mapped = mapAlerts(read({ ...body, alerts: [body.alerts[0], bad, 42] }), 'p');
    expect(mapped.map((alert) => alert.event.ok)).toEqual([true, false, false]);
    expect(!mapped[1].event.ok && mapped[1].event.errors.map((e) => e.field)).toEqual([
      'alerts[1].labels.alertname',
      'alerts[1].startsAt',
    ]);
    expect(!mapped[2].event.ok && mapped[2].event.errors[0].field).toBe('alerts[2]');
  });

  it('archives each alert as a one-alert notification that can be replayed', () => {
    const [, second] = mapAlerts(read(notification()), 'p');
    const replay = JSON.parse(new TextDecoder().decode(second.bytes)) as { alerts: unknown[] };
    expect(replay).toMatchObject({ version: '4', receiver: 'vigil', alerts: [notification().alerts[1]] });
    expect(readNotification(replay).ok).toBe(true);
  });

  it("names a contract violation by the alert's own field", () => {
    const alert = { ...notification().alerts[0], labels: { alertname: 'A'.repeat(200) } };
    const [mapped] = mapAlerts(read({ ...notification(), alerts: [alert] }), 'p');
    expect(!mapped.event.ok && mapped.event.errors[0].field).toBe('alerts[0].labels.alertname');
  });

  it('cuts a long summary rather than refusing the alert', () => {
    const alert = { ...notification().alerts[0], annotations: { summary: 'x'.repeat(5000) } };
    const [event] = events(mapAlerts(read({ ...notification(), alerts: [alert] }), 'p'));
    expect(event.summary).toHaveLength(1024);
    expect(event.summary.endsWith('…')).toBe(true);
  });

  it("computes Alertmanager's fingerprint for an alert sent without one", () => {
    const { fingerprint: _omitted, ...alert } = notification().alerts[0];
    const [event] = events(mapAlerts(read({ ...notification(), alerts: [alert] }), 'p'));
    expect(event.fingerprint).toBe(`am:${labelSetFingerprint(probeLabels)}`);
  });

  it('leaves occurredAt to the receipt time when a resolved alert has no real end', () => {
    const alert = { ...notification().alerts[1], endsAt: '0001-01-01T00:00:00Z' };
    const [event] = events(mapAlerts(read({ ...notification(), alerts: [alert] }), 'p'));
    expect(event.occurredAt).toBeUndefined();
  });

  it('falls back from instance to node, host, then the alert name for the node', () => {
    const nodeOf = (labels: Record<string, string>) => {
      const alert = { ...notification().alerts[0], labels: { alertname: 'Up', ...labels } };
      return events(mapAlerts(read({ ...notification(), alerts: [alert] }), 'p'))[0].node;
    };
    expect(nodeOf({ node: 'k8s-node-1', host: 'h' })).toBe('k8s-node-1');
    expect(nodeOf({ host: 'h' })).toBe('h');
    expect(nodeOf({})).toBe('Up');
  });
});

describe('labelSetFingerprint', () => {
  it("agrees with prometheus/common's LabelSet.Fingerprint test vectors", () => {
    expect(labelSetFingerprint({})).toBe('cbf29ce484222325');
    // 5799056148416392346 in prometheus/common model/signature_test.go
    expect(BigInt(`0x${labelSetFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })}`)).toBe(
      5799056148416392346n,
    );
  });
});

describe('instanceHost', () => {
  it('strips the port of host:port and [ipv6]:port, and keeps URLs and bare IPv6 whole', () => {
    expect(instanceHost('web-1:9100')).toBe('web-1');
    expect(instanceHost('10.0.0.7:9100')).toBe('10.0.0.7');
    expect(instanceHost('[2001:db8::1]:9100')).toBe('2001:db8::1');
    expect(instanceHost('2001:db8::1')).toBe('2001:db8::1');
    expect(instanceHost('https://shop.example.org')).toBe('https://shop.example.org');
    expect(instanceHost('web-1')).toBe('web-1');
  });
});

describe('severityOf', () => {
  it('maps the severity label through the alias table, and resolved to cleared', () => {
    expect(severityOf('firing', 'critical')).toBe('critical');
    expect(severityOf('firing', 'error')).toBe('major');
    expect(severityOf('firing', 'info')).toBe('indeterminate');
    expect(severityOf('resolved', 'critical')).toBe('cleared');
  });

  it('uses warning for a firing alert with no, an unknown, or a clearing severity', () => {
    expect(severityOf('firing', undefined)).toBe('warning');
    expect(severityOf('firing', 'none')).toBe('warning');
    expect(severityOf('firing', 'ok')).toBe('warning');
  });
});

describe('notificationStatus', () => {
  const of = (...statuses: number[]) => notificationStatus(statuses.map((status) => ({ status })));

  it('answers 200 when anything was stored, even with refusals, so Alertmanager does not retry forever', () => {
    expect(of(202, 202)).toBe(200);
    expect(of(202, 400, 413)).toBe(200);
    expect(of()).toBe(200);
  });

  it('answers 503 when any alert was not stored, so Alertmanager retries the group', () => {
    expect(of(202, 503, 400)).toBe(503);
  });

  it('answers 4xx when every alert was refused', () => {
    expect(of(400, 413)).toBe(400);
    expect(of(413)).toBe(413);
  });
});
