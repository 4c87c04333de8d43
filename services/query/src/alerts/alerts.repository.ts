import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { KeysetCursor } from '../pagination/keyset-cursor';
import { AlertHistoryEntity } from './alert-history.entity';
import { AlertEntity } from './alert.entity';
import { EventOccurrenceEntity } from './event-occurrence.entity';

export interface AlertFilter {
  status?: string[];
  severity?: string[];
  source?: string[];
  node?: string[];
  priority?: string[];
  team?: string[];
}

@Injectable()
export class AlertsReadRepository {
  constructor(
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectRepository(EventOccurrenceEntity) private readonly occurrences: Repository<EventOccurrenceEntity>,
    @InjectRepository(AlertHistoryEntity) private readonly historyRows: Repository<AlertHistoryEntity>,
  ) {}

  /** Every change of the alert, oldest first (the history is bounded by what happens to one alert). */
  history(alertId: string): Promise<AlertHistoryEntity[]> {
    return this.historyRows.find({ where: { alertId }, order: { sequence: 'ASC' } });
  }

  /** One page, newest activity first; `after` continues where a previous page ended (keyset). */
  page(filter: AlertFilter, limit: number, after?: KeysetCursor): Promise<AlertEntity[]> {
    const query = this.alerts.createQueryBuilder('a');
    if (filter.status?.length) query.andWhere('a.status IN (:...status)', { status: filter.status });
    if (filter.severity?.length)
      query.andWhere('a.severity IN (:...severity)', { severity: filter.severity });
    if (filter.source?.length) query.andWhere('a.source IN (:...source)', { source: filter.source });
    if (filter.node?.length) query.andWhere('a.node IN (:...node)', { node: filter.node });
    if (filter.priority?.length)
      query.andWhere('a.priority IN (:...priority)', { priority: filter.priority });
    if (filter.team?.length) query.andWhere('a.team IN (:...team)', { team: filter.team });
    if (after) {
      query.andWhere('(a.lastOccurrence, a.id) < (:afterTime::timestamptz, :afterId::uuid)', {
        afterTime: after.at,
        afterId: after.id,
      });
    }
    return query.orderBy('a.lastOccurrence', 'DESC').addOrderBy('a.id', 'DESC').limit(limit).getMany();
  }

  findById(id: string): Promise<AlertEntity | null> {
    return this.alerts.findOneBy({ id });
  }

  recentOccurrences(alertId: string, limit: number): Promise<EventOccurrenceEntity[]> {
    return this.occurrences.find({
      select: {
        eventId: true,
        severity: true,
        summary: true,
        occurredAt: true,
        receivedAt: true,
        ruleSet: true,
        ruleSetVersion: true,
        matchedRules: true,
      },
      where: { alertId },
      order: { occurredAt: 'DESC' },
      take: limit,
    });
  }
}
