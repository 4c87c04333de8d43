import type { IncidentResolvePolicy, Severity } from '@vigil/contracts';
import {
  acceptsAlert,
  addAlert,
  AlertFacts,
  applyIncidentCommand,
  IncidentState,
  IncidentStep,
  startIncident,
  updateMember,
} from './incident';
import { IncidentRule, parseIncidentRule } from './incident-rules';

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const GROUP = { key: 'node="db-1"', labels: { node: 'db-1' } };

function rule(overrides: Record<string, unknown> = {}): IncidentRule {
  const parsed = parseIncidentRule(
    { name: 'db', matchers: [], groupBy: ['node'], windowSeconds: 300, ...overrides },
    '7a0b3c1e-2f4d-4e5a-9b6c-1d2e3f4a5b6c',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rule;
}

let sequences = new Map<string, number>();
beforeEach(() => {
  sequences = new Map();
});
/** The next change of alert `id`: firing unless said otherwise. */
function alert(id: string, changes: Partial<Omit<AlertFacts, 'id' | 'sequence'>> = {}): AlertFacts {
  const sequence = (sequences.get(id) ?? 0) + 1;
  sequences.set(id, sequence);
  return { id, sequence, severity: 'major', firing: true, silenced: false, ...changes };
}

const changes = (step: IncidentStep) => step.transitions.map((t) => t.change);
const live = (step: IncidentStep): IncidentState => {
  if (!step.incident) throw new Error('no incident');
  return step.incident;
};

/** Feeds alerts in as the correlator does: join the incident while it accepts, else start another. */
function feed(r: IncidentRule, arrivals: [AlertFacts, number][]) {
  const incidents: IncidentState[] = [];
  const log: string[] = [];
  for (const [facts, seconds] of arrivals) {
    const current = incidents[incidents.length - 1];
    const step =
      current && acceptsAlert(current, at(seconds))
        ? addAlert(current, facts, at(seconds))
        : startIncident(`i${incidents.length + 1}`, r, 1, GROUP, facts, at(seconds));
    if (current && step.incident?.id === current.id) incidents[incidents.length - 1] = live(step);
    else incidents.push(live(step));
    log.push(...step.transitions.map((t) => `${live(step).id}:${t.change}`));
  }
  return { incidents, log };
}

describe('incidents: grouping windows', () => {
  it('alerts of a group within the window share one incident, opened once', () => {
    const { incidents, log } = feed(rule(), [
      [alert('a'), 0],
      [alert('b'), 60],
      [alert('c'), 200],
    ]);
    expect(incidents).toHaveLength(1);
    expect(log).toEqual(['i1:opened', 'i1:alert_added', 'i1:alert_added']);
    expect(incidents[0].members.map((m) => m.alertId)).toEqual(['a', 'b', 'c']);
  });

  it('the window runs from the last alert that joined, and an alert after it starts a new incident', () => {
    const { incidents, log } = feed(rule({ windowSeconds: 100 }), [
      [alert('a'), 0],
      [alert('b'), 90],
      [alert('c'), 180],
      [alert('d'), 281],
    ]);
    expect(incidents.map((i) => i.members.map((m) => m.alertId))).toEqual([['a', 'b', 'c'], ['d']]);
    expect(log).toEqual(['i1:opened', 'i1:alert_added', 'i1:alert_added', 'i2:opened']);
  });

  it('severity is the worst firing member, announced as it moves', () => {
    const first = startIncident('i1', rule(), 1, GROUP, alert('a', { severity: 'minor' }), at(0));
    const second = addAlert(live(first), alert('b', { severity: 'critical' }), at(1));
    expect(live(second).severity).toBe('critical');
    expect(second.transitions.map((t) => [t.change, t.notify])).toEqual([
      ['alert_added', true],
      ['severity_changed', true],
    ]);
    const calmer = updateMember(live(second), alert('b', { severity: 'warning' }), at(2));
    expect(live(calmer).severity).toBe('minor');
    expect(calmer.transitions).toMatchObject([
      { change: 'severity_changed', notify: false, details: { from: 'critical', to: 'minor' } },
    ]);
  });
});

describe('incidents: thresholds', () => {
  it('open only when N alerts fire within the window, with every one of them', () => {
    const r = rule({ threshold: 3, windowSeconds: 60 });
    const one = startIncident('i1', r, 1, GROUP, alert('a'), at(0));
    expect(live(one).status).toBe('pending');
    expect(one.transitions).toEqual([]);
    const two = addAlert(live(one), alert('b'), at(10));
    expect(live(two).status).toBe('pending');
    const three = addAlert(live(two), alert('c'), at(20));
    expect(live(three)).toMatchObject({ status: 'open', openedAt: at(20), sequence: 1 });
    expect(three.transitions).toMatchObject([
      { change: 'opened', notify: true, details: { alertIds: ['a', 'b', 'c'] } },
    ]);
  });

  it('alerts older than the window no longer count towards the threshold', () => {
    const r = rule({ threshold: 3, windowSeconds: 60 });
    let step = startIncident('i1', r, 1, GROUP, alert('a'), at(0));
    step = addAlert(live(step), alert('b'), at(50));
    step = addAlert(live(step), alert('c'), at(100));
    expect(live(step).status).toBe('pending');
    expect(step.removed).toEqual(['a']);
    expect(live(step).members.map((m) => m.alertId)).toEqual(['b', 'c']);
    expect(live(step).firstAlertId).toBe('b');
    step = addAlert(live(step), alert('d'), at(105));
    expect(live(step).status).toBe('open');
  });

  it('a pending member that stops firing leaves; the last one leaving deletes the pending incident', () => {
    const r = rule({ threshold: 2 });
    const one = startIncident('i1', r, 1, GROUP, alert('a'), at(0));
    const gone = updateMember(live(one), alert('a', { firing: false, severity: 'cleared' }), at(5));
    expect(gone).toEqual({ incident: null, transitions: [], removed: ['a'] });
  });
});

describe('incidents: resolve policies', () => {
  /** a (first), b, c (last) in one open incident under `policy`. */
  function threeAlerts(policy: IncidentResolvePolicy) {
    let step = startIncident('i1', rule({ resolvePolicy: policy }), 1, GROUP, alert('a'), at(0));
    step = addAlert(live(step), alert('b'), at(1));
    step = addAlert(live(step), alert('c'), at(2));
    return live(step);
  }
  const resolve = (incident: IncidentState, id: string) =>
    updateMember(incident, alert(id, { firing: false, severity: 'cleared' as Severity }), at(10));

  it('all: resolved when the last firing member resolves', () => {
    let incident = threeAlerts('all');
    for (const id of ['b', 'a']) {
      const step = resolve(incident, id);
      expect(changes(step)).toEqual(['alert_resolved']);
      expect(step.transitions[0].notify).toBe(false);
      incident = live(step);
    }
    const last = resolve(incident, 'c');
    expect(changes(last)).toEqual(['resolved']);
    expect(live(last)).toMatchObject({ status: 'resolved', resolvedAt: at(10) });
  });

  it('first: resolved when the first alert (the cause) resolves, whatever else fires', () => {
    const incident = threeAlerts('first');
    expect(changes(resolve(incident, 'b'))).toEqual(['alert_resolved']);
    expect(changes(resolve(incident, 'c'))).toEqual(['alert_resolved']);
    const step = resolve(incident, 'a');
    expect(changes(step)).toEqual(['resolved']);
    expect(
      live(step)
        .members.filter((m) => m.firing)
        .map((m) => m.alertId),
    ).toEqual(['b', 'c']);
  });

  it('last: resolved when the alert that joined last resolves', () => {
    const incident = threeAlerts('last');
    expect(changes(resolve(incident, 'a'))).toEqual(['alert_resolved']);
    expect(changes(resolve(incident, 'c'))).toEqual(['resolved']);
  });

  it('any: resolved when any member resolves', () => {
    expect(changes(resolve(threeAlerts('any'), 'b'))).toEqual(['resolved']);
  });

  it('a member firing again inside a live incident is recorded, not notified', () => {
    const incident = live(resolve(threeAlerts('all'), 'b'));
    const again = updateMember(incident, alert('b'), at(20));
    expect(again.transitions).toMatchObject([{ change: 'alert_reopened', notify: false, alertId: 'b' }]);
  });
});

describe('incidents: a resolved incident takes nothing new', () => {
  it('an alert of the group within the window starts a new incident', () => {
    let step = startIncident('i1', rule({ resolvePolicy: 'any' }), 1, GROUP, alert('a'), at(0));
    step = updateMember(live(step), alert('a', { firing: false, severity: 'cleared' }), at(5));
    const resolved = live(step);
    expect(resolved.status).toBe('resolved');
    expect(acceptsAlert(resolved, at(6))).toBe(false);
    // Its members' later changes are kept on it without announcing anything.
    const later = updateMember(resolved, alert('a'), at(7));
    expect(later.transitions).toEqual([]);
    expect(live(later).status).toBe('resolved');
  });

  it('and a command cannot bring it back', () => {
    let step = startIncident('i1', rule(), 1, GROUP, alert('a'), at(0));
    step = updateMember(live(step), alert('a', { firing: false, severity: 'cleared' }), at(5));
    expect(applyIncidentCommand(live(step), 'acknowledge', 'carol', at(6))).toEqual({
      ok: false,
      reason: 'incident i1 is resolved: a resolved incident cannot be acknowledged',
    });
    expect(applyIncidentCommand(live(step), 'resolve', 'carol', at(6))).toMatchObject({
      ok: true,
      changed: false,
    });
  });
});

describe('incident commands', () => {
  it('acknowledge, acknowledge again (no change), unacknowledge, resolve', () => {
    const incident = live(startIncident('i1', rule(), 1, GROUP, alert('a'), at(0)));
    const ack = applyIncidentCommand(incident, 'acknowledge', 'carol', at(1));
    if (!ack.ok) throw new Error(ack.reason);
    expect(live(ack.step)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'carol', sequence: 2 });
    const again = applyIncidentCommand(live(ack.step), 'acknowledge', 'dave', at(2));
    expect(again).toMatchObject({ ok: true, changed: false });
    const unack = applyIncidentCommand(live(ack.step), 'unacknowledge', 'carol', at(3));
    if (!unack.ok) throw new Error(unack.reason);
    expect(live(unack.step)).toMatchObject({ status: 'open', acknowledgedBy: null });
    const resolved = applyIncidentCommand(live(unack.step), 'resolve', 'carol', at(4));
    if (!resolved.ok) throw new Error(resolved.reason);
    expect(resolved.step.transitions).toMatchObject([
      { change: 'resolved', from: 'open', to: 'resolved', sequence: 4 },
    ]);
  });

  it('a pending incident is not there to command', () => {
    const pending = live(startIncident('i1', rule({ threshold: 2 }), 1, GROUP, alert('a'), at(0)));
    expect(applyIncidentCommand(pending, 'acknowledge', 'carol', at(1))).toMatchObject({ ok: false });
  });
});
