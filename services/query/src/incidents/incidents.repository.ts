import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AlertStatus, Severity } from '@vigil/contracts';
import { Repository } from 'typeorm';
import type { KeysetCursor } from '../pagination/keyset-cursor';
import { IncidentAlertEntity } from './incident-alert.entity';
import { IncidentHistoryEntity } from './incident-history.entity';
import { IncidentEntity } from './incident.entity';

export interface IncidentFilter {
  status?: string[];
  severity?: string[];
  ruleId?: string[];
}

/** A member alert as the incident knows it, with the alert's own fields (null once it is gone). */
export interface IncidentMemberRow {
  alertId: string;
  joinedAt: Date;
  firing: boolean;
  memberSeverity: Severity;
  fingerprint: string | null;
  status: AlertStatus | null;
  severity: Severity | null;
  summary: string | null;
  node: string | null;
  service: string | null;
}

/** Reads of the correlator's incident tables. Pending incidents are internal and never read here. */
@Injectable()
export class IncidentsReadRepository {
  constructor(
    @InjectRepository(IncidentEntity) private readonly incidents: Repository<IncidentEntity>,
    @InjectRepository(IncidentAlertEntity) private readonly members: Repository<IncidentAlertEntity>,
    @InjectRepository(IncidentHistoryEntity) private readonly historyRows: Repository<IncidentHistoryEntity>,
  ) {}

  /** One page, newest opening first; `after` continues where a previous page ended (keyset). */
  page(filter: IncidentFilter, limit: number, after?: KeysetCursor): Promise<IncidentEntity[]> {
    const query = this.incidents
      .createQueryBuilder('i')
      .where("i.status <> 'pending'")
      // Announced incidents always have one; a row without would break the keyset comparison.
      .andWhere('i.openedAt IS NOT NULL');
    if (filter.status?.length) query.andWhere('i.status IN (:...status)', { status: filter.status });
    if (filter.severity?.length)
      query.andWhere('i.severity IN (:...severity)', { severity: filter.severity });
    if (filter.ruleId?.length) query.andWhere('i.ruleId IN (:...ruleId)', { ruleId: filter.ruleId });
    if (after) {
      query.andWhere('(i.openedAt, i.id) < (:afterTime::timestamptz, :afterId::uuid)', {
        afterTime: after.at,
        afterId: after.id,
      });
    }
    return query.orderBy('i.openedAt', 'DESC').addOrderBy('i.id', 'DESC').limit(limit).getMany();
  }

  findVisible(id: string): Promise<IncidentEntity | null> {
    return this.incidents
      .createQueryBuilder('i')
      .where('i.id = :id', { id })
      .andWhere("i.status <> 'pending'")
      .andWhere('i.openedAt IS NOT NULL')
      .getOne();
  }

  /**
   * Members in the order they joined, each with its alert. Closed alerts may have moved to the
   * archive by now, so it is read when the live table no longer has the alert.
   */
  membersOf(incidentId: string, limit: number): Promise<IncidentMemberRow[]> {
    // A raw query's rows are not checked: the column aliases below are IncidentMemberRow's fields.
    return this.members.query<IncidentMemberRow[]>(
      `SELECT m.alert_id AS "alertId", m.joined_at AS "joinedAt", m.firing, m.severity AS "memberSeverity",
              COALESCE(a.fingerprint, z.fingerprint) AS fingerprint, COALESCE(a.status, z.status) AS status,
              COALESCE(a.severity, z.severity) AS severity, COALESCE(a.summary, z.summary) AS summary,
              COALESCE(a.node, z.node) AS node, COALESCE(a.service, z.service) AS service
         FROM correlator.incident_alerts m
         LEFT JOIN correlator.alerts a ON a.id = m.alert_id
         LEFT JOIN correlator.alerts_archive z ON a.id IS NULL AND z.id = m.alert_id
        WHERE m.incident_id = $1
        ORDER BY m.joined_at, m.alert_id
        LIMIT $2`,
      [incidentId, limit],
    );
  }

  /** Every change of the incident, oldest first (bounded by what happens to one incident). */
  history(incidentId: string): Promise<IncidentHistoryEntity[]> {
    return this.historyRows.find({ where: { incidentId }, order: { sequence: 'ASC' } });
  }
}
