import { Injectable, Logger } from '@nestjs/common';
import type { AlertChangedV1 } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { AlertFacts, firstMatchingRule } from '../domain/incidents';
import { Counter } from 'prom-client';
import { alertFields } from '../alerts';
import { OutboxService } from '../outbox';
import { ActiveIncidentRules } from './active-incident-rules';
import { AlertChangeInput, IncidentBatch } from './incident-batch';
import { groupLockKey, IncidentsRepository } from './incidents.repository';

const DEADLOCK = '40P01';
const ATTEMPTS = 5;
const FIRING: ReadonlySet<string> = new Set(['open', 'acknowledged', 'snoozed']);

/** A concurrent batch moved an alert to an incident whose group this one had not locked: plan again. */
class MovedMembershipError extends Error {}

export function alertFacts(change: AlertChangedV1): AlertFacts {
  const { alert } = change;
  return {
    id: change.alertId,
    sequence: change.sequence,
    severity: alert.severity,
    firing: FIRING.has(alert.status),
    silenced: Boolean(alert.suppressedBy || alert.inhibitedBy),
  };
}

/**
 * Groups alerts into incidents from the alert change feed. A batch is one transaction: lock the
 * groups its alerts would join and the incidents they belong to, apply every change in order in
 * memory (domain/incidents decides), then write incidents, members, history and incident-change
 * outbox rows. Changes are applied by alert sequence, so redeliveries change nothing; times are the
 * changes' own, so a backlog groups as the alerts happened, not as they were read.
 */
@Injectable()
export class IncidentCorrelationService {
  private readonly logger = new Logger(IncidentCorrelationService.name);
  private readonly changesCounter: Counter<'change'>;

  constructor(
    private readonly repository: IncidentsRepository,
    private readonly active: ActiveIncidentRules,
    private readonly outbox: OutboxService,
    metrics: ServiceMetrics,
  ) {
    this.changesCounter = metrics.counter(
      'incident_changes_total',
      'Incident changes announced, by change.',
      ['change'],
    );
  }

  async apply(changes: readonly AlertChangedV1[], headers: readonly Record<string, string>[]): Promise<void> {
    const { rules, version } = this.active.current;
    const inputs: AlertChangeInput[] = changes
      .map((change, i) => ({
        facts: alertFacts(change),
        at: new Date(change.changedAt),
        match: firstMatchingRule(
          rules,
          alertFields({
            ...change.alert,
            service: change.alert.service ?? null,
            environment: change.alert.environment ?? null,
          }),
        ),
        cause: { actor: 'system', receivedAt: change.causeReceivedAt, headers: headers[i] ?? {} },
      }))
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.facts.sequence - b.facts.sequence);
    const alertIds = [...new Set(inputs.map((i) => i.facts.id))];
    const groups = new Map<string, { ruleId: string; groupKey: string }>();
    for (const { match, facts } of inputs) {
      if (match && facts.firing && !facts.silenced) {
        groups.set(groupLockKey(match.rule.id, match.group.key), {
          ruleId: match.rule.id,
          groupKey: match.group.key,
        });
      }
    }

    for (let attempt = 1; ; attempt++) {
      try {
        // Read before any lock, to know which groups to lock; read again under the locks below.
        const live = (await this.repository.memberships(alertIds)).filter((m) => m.status !== 'resolved');
        // Nothing to join and nothing to follow (most alert changes, when no rule takes them): one
        // read and no transaction.
        if (!groups.size && !live.length) return;
        const batch = await this.repository.transaction(async (tx) => {
          const locked = new Set([...groups.keys(), ...live.map((m) => groupLockKey(m.ruleId, m.groupKey))]);
          await tx.lockGroups([...locked]);
          const memberships = await tx.memberships(alertIds);
          for (const m of memberships) {
            if (m.status !== 'resolved' && !locked.has(groupLockKey(m.ruleId, m.groupKey))) {
              throw new MovedMembershipError();
            }
          }
          const incidents = await tx.lockIncidents(
            memberships.filter((m) => m.status !== 'resolved').map((m) => m.incidentId),
            [...groups.values()],
          );
          const plan = new IncidentBatch(incidents, memberships, version, new Date());
          for (const input of inputs) plan.apply(input);
          if (!plan.empty) await tx.write(plan);
          return plan;
        });
        if (batch.outbox.length) {
          this.outbox.publishCommitted(batch.outbox);
          for (const row of batch.history) this.changesCounter.inc({ change: row.action });
        }
        return;
      } catch (error) {
        const retry = error instanceof MovedMembershipError || (error as { code?: string }).code === DEADLOCK;
        if (!retry || attempt >= ATTEMPTS) throw error;
        this.logger.debug(`incident batch of ${changes.length} planned again (attempt ${attempt})`);
      }
    }
  }
}
