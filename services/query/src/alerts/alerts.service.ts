import { Injectable, NotFoundException } from '@nestjs/common';
import { AlertSnapshotV1, toAlertSnapshot } from '@vigil/contracts';
import { cursorParameter, pageOf } from '../pagination/keyset-cursor';
import { AlertHistoryRow, AlertRow, AlertsReadRepository } from './alerts.repository';
import { ListAlertsQuery } from './list-alerts.query';

export type AlertView = AlertSnapshotV1 & {
  sequence: number;
  resolvedAt: string | null;
  /** The latest occurrence times, newest first (at most 20). */
  recentOccurrences: string[];
  timeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
};

export interface OccurrenceView {
  eventId: string;
  severity: string;
  summary: string;
  occurredAt: string;
  receivedAt: string;
  /** Which rule set version classified the event, and which of its rules matched. */
  classification: { ruleSet: string | null; ruleSetVersion: string | null; matchedRules: string[] };
}

const RECENT_OCCURRENCES = 20;

/** One change of an alert, as `correlator.alert_history` keeps it. */
export type HistoryEntryView = Omit<AlertHistoryRow, 'at'> & { at: string };

function toView(alert: AlertRow): AlertView {
  return {
    ...toAlertSnapshot(alert),
    sequence: alert.sequence,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    recentOccurrences: alert.recentOccurrences.map((at) => at.toISOString()),
    timeoutSeconds: alert.timeoutSeconds,
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}

@Injectable()
export class AlertsService {
  constructor(private readonly alerts: AlertsReadRepository) {}

  async list(query: ListAlertsQuery): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const after = cursorParameter(query.cursor);
    const rows = await this.alerts.page(query, query.limit + 1, after);
    const page = pageOf(rows, query.limit, (alert) => ({
      at: alert.lastOccurrence.toISOString(),
      id: alert.id,
    }));
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<AlertView & { occurrences: OccurrenceView[] }> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new NotFoundException(`alert ${id} not found`);
    const occurrences = await this.alerts.recentOccurrences(id, RECENT_OCCURRENCES);
    return {
      ...toView(alert),
      occurrences: occurrences.map((o) => ({
        eventId: o.eventId,
        severity: o.severity,
        summary: o.summary,
        occurredAt: o.occurredAt.toISOString(),
        receivedAt: o.receivedAt.toISOString(),
        classification: {
          ruleSet: o.ruleSet,
          ruleSetVersion: o.ruleSetVersion,
          matchedRules: o.matchedRules,
        },
      })),
    };
  }

  async history(id: string): Promise<{ alertId: string; items: HistoryEntryView[] }> {
    const alert = await this.alerts.findById(id);
    if (!alert) throw new NotFoundException(`alert ${id} not found`);
    const rows = await this.alerts.history(id);
    return {
      alertId: id,
      items: rows.map((row) => ({
        sequence: row.sequence,
        at: row.at.toISOString(),
        actor: row.actor,
        action: row.action,
        fromStatus: row.fromStatus,
        toStatus: row.toStatus,
        reason: row.reason,
        eventId: row.eventId,
        commandId: row.commandId,
        details: row.details,
      })),
    };
  }
}
