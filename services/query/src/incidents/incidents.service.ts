import { Injectable, NotFoundException } from '@nestjs/common';
import { toIncidentSnapshot } from '@vigil/contracts';
import type { AlertStatus, IncidentSnapshotV1, Severity } from '@vigil/contracts';
import { cursorParameter, pageOf } from '../pagination/keyset-cursor';
import {
  IncidentHistoryRow,
  IncidentMemberRow,
  IncidentRow,
  IncidentsReadRepository,
} from './incidents.repository';
import { ListIncidentsQuery } from './list-incidents.query';

/** The incident as its change feed describes it, with what the record adds. */
export type IncidentView = IncidentSnapshotV1 & {
  sequence: number;
  /** When the first member joined; `lastJoinedAt`: when the latest did (the window runs from there). */
  startedAt: string;
  lastJoinedAt: string;
  /** The rule's window and threshold when the incident started. */
  windowSeconds: number;
  threshold: number;
  createdAt: string;
  updatedAt: string;
};

/** A member alert; the alert's fields are null when the alert no longer exists (archived and purged). */
export interface IncidentMemberView {
  alertId: string;
  fingerprint: string | null;
  status: AlertStatus | null;
  /** The alert's severity now (what the incident last knew, if the alert is gone). */
  severity: Severity;
  summary: string | null;
  node: string | null;
  service: string | null;
  joinedAt: string;
  /** Whether the incident counts the alert as firing. */
  firing: boolean;
}

/** One change of an incident, as `correlator.incident_history` keeps it. */
export type IncidentHistoryEntryView = Omit<IncidentHistoryRow, 'at'> & { at: string };

/** Members listed per incident; `alertCount` is the true number, `membersTruncated` says when more exist. */
export const MAX_MEMBERS = 1000;

export function toIncidentView(row: IncidentRow): IncidentView {
  const snapshot = toIncidentSnapshot(row);
  return {
    ...snapshot,
    sequence: row.sequence,
    startedAt: row.startedAt.toISOString(),
    lastJoinedAt: row.lastJoinedAt.toISOString(),
    windowSeconds: row.windowSeconds,
    threshold: row.threshold,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toMemberView(row: IncidentMemberRow): IncidentMemberView {
  return {
    alertId: row.alertId,
    fingerprint: row.fingerprint,
    status: row.status,
    severity: row.severity ?? row.memberSeverity,
    summary: row.summary,
    node: row.node,
    service: row.service,
    joinedAt: new Date(row.joinedAt).toISOString(),
    firing: row.firing,
  };
}

@Injectable()
export class IncidentsService {
  constructor(private readonly incidents: IncidentsReadRepository) {}

  async list(query: ListIncidentsQuery): Promise<{ items: IncidentView[]; nextCursor: string | null }> {
    const after = cursorParameter(query.cursor);
    const rows = await this.incidents.page(query, query.limit + 1, after);
    const page = pageOf(rows, query.limit, (row) => ({
      at: (row.openedAt ?? row.startedAt).toISOString(),
      id: row.id,
    }));
    return { items: page.items.map(toIncidentView), nextCursor: page.nextCursor };
  }

  async get(
    id: string,
  ): Promise<IncidentView & { members: IncidentMemberView[]; membersTruncated: boolean }> {
    const incident = await this.visible(id);
    const rows = await this.incidents.membersOf(id, MAX_MEMBERS + 1);
    return {
      ...toIncidentView(incident),
      members: rows.slice(0, MAX_MEMBERS).map(toMemberView),
      membersTruncated: rows.length > MAX_MEMBERS,
    };
  }

  async history(id: string): Promise<{ incidentId: string; items: IncidentHistoryEntryView[] }> {
    await this.visible(id);
    const rows = await this.incidents.history(id);
    return {
      incidentId: id,
      items: rows.map((row) => ({
        sequence: row.sequence,
        at: row.at.toISOString(),
        actor: row.actor,
        action: row.action,
        fromStatus: row.fromStatus,
        toStatus: row.toStatus,
        alertId: row.alertId,
        reason: row.reason,
        commandId: row.commandId,
        details: row.details,
      })),
    };
  }

  /** A pending incident is internal: it does not exist for operators until it opens. */
  private async visible(id: string): Promise<IncidentRow> {
    const incident = await this.incidents.findVisible(id);
    if (!incident) throw new NotFoundException(`incident ${id} not found`);
    return incident;
  }
}
