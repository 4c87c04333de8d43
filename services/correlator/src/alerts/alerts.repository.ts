import { Injectable } from '@nestjs/common';
import type { AlertChangedV1, ClassifiedEventV1 } from '@vigil/contracts';
import { AlertEntity } from '@vigil/persistence';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertState } from './alert-lifecycle';

interface AlertRow {
  id: string;
  fingerprint: string;
  status: AlertEntity['status'];
  severity: AlertEntity['severity'];
  previous_severity: AlertEntity['previousSeverity'];
  tally: number;
  first_occurrence: Date;
  last_occurrence: Date;
  summary: string;
  node: string;
  source: string;
  type: string;
  category: AlertEntity['category'];
  service: string | null;
  environment: string | null;
  labels: AlertEntity['labels'];
  last_event_id: string;
  sequence: number;
  resolved_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toEntity(row: AlertRow): AlertEntity {
  return Object.assign(new AlertEntity(), {
    id: row.id,
    fingerprint: row.fingerprint,
    status: row.status,
    severity: row.severity,
    previousSeverity: row.previous_severity,
    tally: row.tally,
    firstOccurrence: row.first_occurrence,
    lastOccurrence: row.last_occurrence,
    summary: row.summary,
    node: row.node,
    source: row.source,
    type: row.type,
    category: row.category,
    service: row.service,
    environment: row.environment,
    labels: row.labels,
    lastEventId: row.last_event_id,
    sequence: row.sequence,
    resolvedAt: row.resolved_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export interface OutboxMessage {
  family: string;
  token: string;
  msgId: string;
  payload: AlertChangedV1;
  headers: Record<string, string>;
}

/** The correlator's writes, inside one transaction. Plain SQL: these run once per event. */
export class AlertsTransaction {
  constructor(private readonly db: EntityManager) {}

  async lockByFingerprint(fingerprint: string): Promise<AlertEntity | undefined> {
    const rows: AlertRow[] = await this.db.query(
      'SELECT * FROM correlator.alerts WHERE fingerprint = $1 FOR UPDATE',
      [fingerprint],
    );
    return rows[0] && toEntity(rows[0]);
  }

  /** Inserts a new alert unless another transaction got there first (then returns undefined). */
  async insertIfAbsent(event: ClassifiedEventV1, state: AlertState): Promise<AlertEntity | undefined> {
    const rows: AlertRow[] = await this.db.query(
      `INSERT INTO correlator.alerts (fingerprint, status, severity, previous_severity, tally, first_occurrence,
         last_occurrence, summary, node, source, type, category, service, environment, labels, last_event_id,
         sequence, resolved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (fingerprint) DO NOTHING
       RETURNING *`,
      [
        event.fingerprint,
        state.status,
        state.severity,
        state.previousSeverity,
        state.tally,
        state.firstOccurrence,
        state.lastOccurrence,
        state.summary,
        event.node,
        event.source,
        event.type,
        event.category,
        event.service ?? null,
        event.environment ?? null,
        JSON.stringify(event.labels),
        state.lastEventId,
        state.sequence,
        state.resolvedAt,
      ],
    );
    return rows[0] && toEntity(rows[0]);
  }

  async update(id: string, state: AlertState): Promise<AlertEntity> {
    // TypeORM answers UPDATE … RETURNING with [rows, count]; the structured result is unambiguous.
    const runner = this.db.queryRunner;
    if (!runner) throw new Error('AlertsTransaction used outside a transaction');
    const result = await runner.query(
      `UPDATE correlator.alerts
          SET status = $2, severity = $3, previous_severity = $4, tally = $5, last_occurrence = $6, summary = $7,
              sequence = $8, resolved_at = $9, last_event_id = $10, updated_at = now()
        WHERE id = $1
        RETURNING *`,
      [
        id,
        state.status,
        state.severity,
        state.previousSeverity,
        state.tally,
        state.lastOccurrence,
        state.summary,
        state.sequence,
        state.resolvedAt,
        state.lastEventId,
      ],
      true,
    );
    return toEntity((result as { records: AlertRow[] }).records[0]);
  }

  /** Records the occurrence; false when this event id was recorded before (a redelivery). */
  async recordOccurrence(event: ClassifiedEventV1, alertId: string | null): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO correlator.event_occurrences
         (event_id, alert_id, fingerprint, severity, summary, occurred_at, received_at, event, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [
        event.id,
        alertId,
        event.fingerprint,
        event.severity,
        event.summary,
        event.occurredAt,
        event.receivedAt,
        JSON.stringify(event),
      ],
    );
    return rows.length === 1;
  }

  async enqueue(message: OutboxMessage): Promise<void> {
    await this.db.query(
      `INSERT INTO correlator.outbox (family, token, msg_id, payload, headers) VALUES ($1, $2, $3, $4, $5)`,
      [
        message.family,
        message.token,
        message.msgId,
        JSON.stringify(message.payload),
        JSON.stringify(message.headers),
      ],
    );
  }
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: AlertsTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new AlertsTransaction(manager)));
  }
}
