import { SEVERITY_RANK } from '@vigil/contracts';
import type { IncidentChange, IncidentResolvePolicy, IncidentStatus, Severity } from '@vigil/contracts';
import type { IncidentGroup, IncidentRule } from './incident-rules';

/** `pending`: gathering alerts towards the rule's threshold, announced to nobody. */
export type IncidentPhase = 'pending' | IncidentStatus;

export interface IncidentMember {
  readonly alertId: string;
  readonly joinedAt: Date;
  readonly severity: Severity;
  readonly firing: boolean;
  /** The alert change last applied: older ones redelivered are ignored. */
  readonly alertSequence: number;
}

export interface IncidentState {
  readonly id: string;
  readonly status: IncidentPhase;
  readonly severity: Severity;
  readonly title: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly ruleVersion: number;
  readonly resolvePolicy: IncidentResolvePolicy;
  readonly windowSeconds: number;
  readonly threshold: number;
  readonly groupKey: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly firstAlertId: string;
  readonly lastAlertId: string;
  readonly startedAt: Date;
  readonly lastJoinedAt: Date;
  readonly openedAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: Date | null;
  /** The sequence of the last announced change. */
  readonly sequence: number;
  readonly members: readonly IncidentMember[];
}

/** What the incident engine needs of an alert change. */
export interface AlertFacts {
  readonly id: string;
  readonly sequence: number;
  readonly severity: Severity;
  /** open, acknowledged or snoozed. */
  readonly firing: boolean;
  /** Under a maintenance window or inhibited: such an alert joins nothing until released. */
  readonly silenced: boolean;
}

export interface IncidentTransition {
  readonly change: IncidentChange;
  readonly sequence: number;
  readonly from: IncidentStatus | null;
  readonly to: IncidentStatus;
  readonly alertId?: string;
  /** Whether people should hear of it (a member resolving inside a live incident is only recorded). */
  readonly notify: boolean;
  readonly details: Record<string, unknown>;
}

/** The incident after a step (null: a pending incident left with no member, to delete). */
export interface IncidentStep {
  readonly incident: IncidentState | null;
  readonly transitions: readonly IncidentTransition[];
  /** Members dropped from a pending incident (their window passed, or they stopped firing). */
  readonly removed: readonly string[];
}

/** The worst severity among firing members; undefined when none fires. */
export function worstSeverity(members: readonly IncidentMember[]): Severity | undefined {
  const firing = members.filter((m) => m.firing);
  if (!firing.length) return undefined;
  let worst: Severity = 'cleared';
  for (const member of firing)
    if (SEVERITY_RANK[member.severity] > SEVERITY_RANK[worst]) worst = member.severity;
  return worst;
}

/** Whether an alert firing at `at` may join: the incident is live and the window since its last join is open. */
export function acceptsAlert(incident: IncidentState, at: Date): boolean {
  return (
    incident.status !== 'resolved' &&
    at.getTime() - incident.lastJoinedAt.getTime() <= incident.windowSeconds * 1000
  );
}

export function incidentTitle(ruleName: string, group: IncidentGroup): string {
  const values = Object.entries(group.labels).map(([name, value]) => `${name}=${value}`);
  return values.length ? `${ruleName}: ${values.join(', ')}` : ruleName;
}

/** Builds the transitions of one step, numbering them from the incident's sequence. */
class Announcer {
  readonly transitions: IncidentTransition[] = [];
  constructor(private sequence: number) {}

  announce(
    change: IncidentChange,
    from: IncidentStatus | null,
    to: IncidentStatus,
    notify: boolean,
    alertId?: string,
    details: Record<string, unknown> = {},
  ): void {
    this.sequence += 1;
    this.transitions.push({
      change,
      sequence: this.sequence,
      from,
      to,
      notify,
      details,
      ...(alertId && { alertId }),
    });
  }

  get last(): number {
    return this.sequence;
  }
}

const announced = (status: IncidentPhase): IncidentStatus | null => (status === 'pending' ? null : status);

/**
 * Severity follows the firing members; a live incident announces the move (notified only when
 * worse). When none fires any more the incident keeps the severity it had: resolving it does not
 * make it look harmless in hindsight.
 */
function withSeverity(incident: IncidentState, announcer: Announcer, alertId: string): IncidentState {
  const severity = worstSeverity(incident.members);
  if (!severity || severity === incident.severity) return incident;
  const status = announced(incident.status);
  if (status && status !== 'resolved') {
    const worse = SEVERITY_RANK[severity] > SEVERITY_RANK[incident.severity];
    announcer.announce('severity_changed', status, status, worse, alertId, {
      from: incident.severity,
      to: severity,
    });
  }
  return { ...incident, severity };
}

function member(alert: AlertFacts, at: Date): IncidentMember {
  return {
    alertId: alert.id,
    joinedAt: at,
    severity: alert.severity,
    firing: alert.firing,
    alertSequence: alert.sequence,
  };
}

/** Opens a pending incident that reached its threshold: one `opened`, carrying every member. */
function openIfThresholdMet(incident: IncidentState, announcer: Announcer, at: Date): IncidentState {
  if (incident.status !== 'pending' || incident.members.length < incident.threshold) return incident;
  const opened: IncidentState = { ...incident, status: 'open', openedAt: at };
  announcer.announce('opened', null, 'open', true, incident.lastAlertId, {
    alertIds: incident.members.map((m) => m.alertId),
  });
  return opened;
}

function finish(incident: IncidentState | null, announcer: Announcer, removed: string[] = []): IncidentStep {
  return {
    incident: incident && { ...incident, sequence: announcer.last },
    transitions: announcer.transitions,
    removed,
  };
}

/** A firing alert that no live incident of its group accepts starts one (pending below the threshold). */
export function startIncident(
  id: string,
  rule: IncidentRule,
  ruleVersion: number,
  group: IncidentGroup,
  alert: AlertFacts,
  at: Date,
): IncidentStep {
  const announcer = new Announcer(0);
  const pending: IncidentState = {
    id,
    status: 'pending',
    severity: alert.severity,
    title: incidentTitle(rule.name, group),
    ruleId: rule.id,
    ruleName: rule.name,
    ruleVersion,
    resolvePolicy: rule.resolvePolicy,
    windowSeconds: rule.windowSeconds,
    threshold: rule.threshold,
    groupKey: group.key,
    groupLabels: group.labels,
    firstAlertId: alert.id,
    lastAlertId: alert.id,
    startedAt: at,
    lastJoinedAt: at,
    openedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    sequence: 0,
    members: [member(alert, at)],
  };
  return finish(openIfThresholdMet(pending, announcer, at), announcer);
}

/**
 * A firing alert joins an incident that accepts it (`acceptsAlert`). A pending incident first drops
 * the members that no longer count towards its threshold (joined before the window, or stopped
 * firing), then opens if the threshold is met; a live one announces `alert_added`.
 */
export function addAlert(incident: IncidentState, alert: AlertFacts, at: Date): IncidentStep {
  const announcer = new Announcer(incident.sequence);
  let members = [...incident.members];
  const removed: string[] = [];
  if (incident.status === 'pending') {
    const since = at.getTime() - incident.windowSeconds * 1000;
    members = members.filter((m) => {
      const counts = m.firing && m.joinedAt.getTime() >= since;
      if (!counts) removed.push(m.alertId);
      return counts;
    });
  }
  members.push(member(alert, at));
  const first = members.reduce((a, b) => (b.joinedAt < a.joinedAt ? b : a));
  let next: IncidentState = {
    ...incident,
    members,
    firstAlertId: first.alertId,
    startedAt: first.joinedAt,
    lastAlertId: alert.id,
    lastJoinedAt: at,
  };
  if (next.status === 'pending') {
    next = withSeverity(next, announcer, alert.id);
    next = openIfThresholdMet(next, announcer, at);
    return finish(next, announcer, removed);
  }
  const status = next.status;
  announcer.announce('alert_added', status, status, true, alert.id, { alertCount: members.length });
  next = withSeverity(next, announcer, alert.id);
  return finish(next, announcer, removed);
}

/** Whether the incident resolves itself now that `alertId` stopped firing. */
function resolvedByPolicy(incident: IncidentState, alertId: string): boolean {
  const firing = (id: string) => incident.members.find((m) => m.alertId === id)?.firing ?? false;
  switch (incident.resolvePolicy) {
    case 'all':
      return incident.members.every((m) => !m.firing);
    case 'any':
      return true;
    case 'first':
      return alertId === incident.firstAlertId || !firing(incident.firstAlertId);
    case 'last':
      return alertId === incident.lastAlertId || !firing(incident.lastAlertId);
  }
}

/**
 * A member alert changed (severity, or started or stopped firing). In a pending incident a member
 * that stops firing no longer counts and leaves; in a live one the change is recorded, and a member
 * that stops firing resolves the incident when the resolve policy says so.
 */
export function updateMember(incident: IncidentState, alert: AlertFacts, at: Date): IncidentStep {
  const announcer = new Announcer(incident.sequence);
  const before = incident.members.find((m) => m.alertId === alert.id);
  if (!before) return finish(incident, announcer);
  const updated: IncidentMember = {
    ...before,
    severity: alert.severity,
    firing: alert.firing,
    alertSequence: alert.sequence,
  };
  if (incident.status === 'pending') {
    if (alert.firing) {
      const next = { ...incident, members: incident.members.map((m) => (m === before ? updated : m)) };
      return finish(withSeverity(next, announcer, alert.id), announcer);
    }
    const members = incident.members.filter((m) => m !== before);
    if (!members.length) return finish(null, announcer, [alert.id]);
    const first = members.reduce((a, b) => (b.joinedAt < a.joinedAt ? b : a));
    const last = members.reduce((a, b) => (b.joinedAt >= a.joinedAt ? b : a));
    const next: IncidentState = {
      ...incident,
      members,
      firstAlertId: first.alertId,
      startedAt: first.joinedAt,
      lastAlertId: last.alertId,
      lastJoinedAt: last.joinedAt,
    };
    return finish(withSeverity(next, announcer, alert.id), announcer, [alert.id]);
  }

  const next: IncidentState = {
    ...incident,
    members: incident.members.map((m) => (m === before ? updated : m)),
  };
  if (incident.status === 'resolved') return finish(next, announcer);
  const status = incident.status;
  if (before.firing && !updated.firing) {
    if (resolvedByPolicy(next, alert.id)) {
      announcer.announce('resolved', status, 'resolved', true, alert.id, { policy: incident.resolvePolicy });
      return finish({ ...next, status: 'resolved', resolvedAt: at }, announcer);
    }
    announcer.announce('alert_resolved', status, status, false, alert.id);
  } else if (!before.firing && updated.firing) {
    announcer.announce('alert_reopened', status, status, false, alert.id);
  }
  return finish(withSeverity(next, announcer, alert.id), announcer);
}

export type IncidentCommand = 'acknowledge' | 'unacknowledge' | 'resolve';

export type IncidentCommandOutcome =
  { ok: true; changed: boolean; step: IncidentStep } | { ok: false; reason: string };

/** An operator's acknowledge, unacknowledge or resolve (a pending incident is not the caller's to command). */
export function applyIncidentCommand(
  incident: IncidentState,
  command: IncidentCommand,
  actor: string,
  at: Date,
): IncidentCommandOutcome {
  const announcer = new Announcer(incident.sequence);
  const unchanged = (): IncidentCommandOutcome => ({
    ok: true,
    changed: false,
    step: finish(incident, announcer),
  });
  const status = incident.status;
  if (status === 'pending') return { ok: false, reason: `incident ${incident.id} has not opened yet` };
  if (status === 'resolved') {
    if (command === 'resolve') return unchanged();
    return {
      ok: false,
      reason: `incident ${incident.id} is resolved: a resolved incident cannot be ${command}d`,
    };
  }
  let next: IncidentState;
  switch (command) {
    case 'acknowledge':
      if (status === 'acknowledged') return unchanged();
      announcer.announce('acknowledged', status, 'acknowledged', true);
      next = { ...incident, status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: actor };
      break;
    case 'unacknowledge':
      if (status === 'open') return unchanged();
      announcer.announce('unacknowledged', status, 'open', true);
      next = { ...incident, status: 'open', acknowledgedAt: null, acknowledgedBy: null };
      break;
    case 'resolve':
      announcer.announce('resolved', status, 'resolved', true, undefined, { by: 'command' });
      next = { ...incident, status: 'resolved', resolvedAt: at };
      break;
  }
  return { ok: true, changed: true, step: finish(next, announcer) };
}
