import { randomUUID } from 'node:crypto';
import { IncidentChangedV1, SchemaIds, Subjects, toIncidentSnapshot } from '@vigil/contracts';
import {
  acceptsAlert,
  addAlert,
  AlertFacts,
  IncidentGroup,
  IncidentRule,
  IncidentState,
  IncidentStep,
  startIncident,
  updateMember,
} from '../domain/incidents';
import type { OutboxMessage } from '../outbox';
import type { IncidentHistoryRecord, IncidentWrite, Membership } from './incidents.repository';

/** What caused an incident step: an alert change (with its trace headers) or an operator command. */
export interface IncidentCause {
  actor: string;
  receivedAt: string;
  headers: Record<string, string>;
  commandId?: string;
  reason?: string;
}

/** The change message of a transition, with the incident as the step left it; its id is (incident, sequence). */
export function incidentChangedMessage(
  incident: IncidentState,
  transition: IncidentStep['transitions'][number],
  cause: IncidentCause,
  now: Date,
): OutboxMessage<IncidentChangedV1> {
  const payload: IncidentChangedV1 = {
    schema: SchemaIds.IncidentChangedV1,
    incidentId: incident.id,
    sequence: transition.sequence,
    change: transition.change,
    changedAt: now.toISOString(),
    causeReceivedAt: cause.receivedAt,
    actor: cause.actor,
    notify: transition.notify,
    incident: toIncidentSnapshot({
      ...incident,
      alertCount: incident.members.length,
      firingCount: incident.members.filter((m) => m.firing).length,
    }),
  };
  if (transition.alertId) payload.alertId = transition.alertId;
  if (cause.commandId) payload.commandId = cause.commandId;
  return {
    family: Subjects.IncidentsChanged,
    token: incident.id,
    msgId: `incident:${incident.id}:${transition.sequence}`,
    payload,
    headers: cause.headers,
  };
}

/** A change of one alert as the batch applies it. */
export interface AlertChangeInput {
  facts: AlertFacts;
  at: Date;
  /** The rule and group the alert would join (absent: no enabled rule takes it). */
  match?: { rule: IncidentRule; group: IncidentGroup };
  cause: IncidentCause;
}

/**
 * Everything one transaction of the incident engine decides, applied in memory in order: incidents
 * as they end, member rows to write or drop, history and change messages. Built on the incidents
 * and memberships loaded under the groups' locks.
 */
export class IncidentBatch implements IncidentWrite {
  private readonly byId = new Map<string, IncidentState>();
  /** The newest live incident of each group (`ruleId` + key). */
  private readonly liveByGroup = new Map<string, IncidentState>();
  /** The live incident each alert belongs to. */
  private readonly liveOf = new Map<string, string>();
  /** The highest alert sequence applied per alert, over every incident it ever joined. */
  private readonly highWater = new Map<string, number>();
  private readonly touched = new Set<string>();
  private readonly memberChanges = new Map<string, Set<string>>();
  private readonly dropped: { incidentId: string; alertId: string }[] = [];
  private readonly gone = new Set<string>();
  readonly history: IncidentHistoryRecord[] = [];
  readonly outbox: OutboxMessage[] = [];
  /** Changes skipped as older than what was applied (redeliveries). */
  stale = 0;

  constructor(
    loaded: readonly IncidentState[],
    memberships: readonly Membership[],
    private readonly ruleVersion: number,
    private readonly now: Date,
    private readonly newId: () => string = randomUUID,
  ) {
    for (const m of memberships) {
      this.highWater.set(m.alertId, Math.max(this.highWater.get(m.alertId) ?? 0, m.alertSequence));
    }
    for (const incident of [...loaded].sort((a, b) => a.lastJoinedAt.getTime() - b.lastJoinedAt.getTime())) {
      this.track(incident);
    }
  }

  private static group(ruleId: string, groupKey: string): string {
    return `${ruleId} ${groupKey}`;
  }

  private track(incident: IncidentState): void {
    this.byId.set(incident.id, incident);
    const live = incident.status !== 'resolved';
    const group = IncidentBatch.group(incident.ruleId, incident.groupKey);
    const newest = this.liveByGroup.get(group);
    if (live && (!newest || newest.id === incident.id || newest.lastJoinedAt <= incident.lastJoinedAt)) {
      this.liveByGroup.set(group, incident);
    } else if (!live && newest?.id === incident.id) this.liveByGroup.delete(group);
    for (const m of incident.members) {
      if (live) this.liveOf.set(m.alertId, incident.id);
      else if (this.liveOf.get(m.alertId) === incident.id) this.liveOf.delete(m.alertId);
    }
  }

  apply(change: AlertChangeInput): void {
    const { facts, at, match } = change;
    if (facts.sequence <= (this.highWater.get(facts.id) ?? 0)) {
      this.stale += 1;
      return;
    }
    const liveId = this.liveOf.get(facts.id);
    let step: IncidentStep | undefined;
    if (liveId) step = updateMember(this.byId.get(liveId) as IncidentState, facts, at);
    else if (match && facts.firing && !facts.silenced) {
      const current = this.liveByGroup.get(IncidentBatch.group(match.rule.id, match.group.key));
      step =
        current && acceptsAlert(current, at)
          ? addAlert(current, facts, at)
          : startIncident(this.newId(), match.rule, this.ruleVersion, match.group, facts, at);
    }
    if (!step) return;
    const before = liveId ?? step.incident?.id;
    this.record(before ?? '', step, facts.id, change.cause);
  }

  /** Applies a step decided elsewhere (an operator command). */
  record(incidentId: string, step: IncidentStep, alertId: string | undefined, cause: IncidentCause): void {
    const previous = this.byId.get(incidentId);
    for (const removed of step.removed) {
      this.dropped.push({ incidentId, alertId: removed });
      if (this.liveOf.get(removed) === incidentId) this.liveOf.delete(removed);
      this.memberChanges.get(incidentId)?.delete(removed);
    }
    const incident = step.incident;
    if (!incident) {
      this.gone.add(incidentId);
      this.touched.delete(incidentId);
      this.byId.delete(incidentId);
      if (previous) {
        const group = IncidentBatch.group(previous.ruleId, previous.groupKey);
        if (this.liveByGroup.get(group)?.id === incidentId) this.liveByGroup.delete(group);
      }
      return;
    }
    this.touched.add(incident.id);
    if (alertId) {
      const changed = this.memberChanges.get(incident.id) ?? new Set<string>();
      changed.add(alertId);
      this.memberChanges.set(incident.id, changed);
      const applied = incident.members.find((m) => m.alertId === alertId)?.alertSequence;
      if (applied !== undefined) {
        this.highWater.set(alertId, Math.max(this.highWater.get(alertId) ?? 0, applied));
      }
    }
    this.track(incident);
    for (const transition of step.transitions) {
      this.history.push({
        incident_id: incident.id,
        sequence: transition.sequence,
        at: this.now,
        actor: cause.actor,
        action: transition.change,
        from_status: transition.from,
        to_status: transition.to,
        alert_id: transition.alertId ?? null,
        reason: cause.reason ?? null,
        command_id: cause.commandId ?? null,
        details: transition.details,
      });
      this.outbox.push(incidentChangedMessage(incident, transition, cause, this.now));
    }
  }

  get incidents(): IncidentState[] {
    return [...this.touched].map((id) => this.byId.get(id) as IncidentState);
  }

  get deleted(): string[] {
    return [...this.gone];
  }

  get members(): IncidentWrite['members'] {
    return this.incidents.flatMap((incident) => {
      const changed = this.memberChanges.get(incident.id);
      return incident.members
        .filter((m) => changed?.has(m.alertId))
        .map((m) => ({ ...m, incidentId: incident.id }));
    });
  }

  get removedMembers(): IncidentWrite['removedMembers'] {
    return this.dropped.filter((d) => !this.gone.has(d.incidentId));
  }

  /** Whether anything is to be written. */
  get empty(): boolean {
    return !this.touched.size && !this.gone.size && !this.dropped.length;
  }
}
