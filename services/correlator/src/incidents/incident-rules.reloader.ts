import { Inject, Injectable } from '@nestjs/common';
import { BroadcastSubjects, IncidentRulesChangedV1 } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { RuleSetRepository } from '@vigil/persistence';
import { ReloadingSnapshot } from '@vigil/runtime';
import { ActiveIncidentRules } from './active-incident-rules';
import { decodeRules } from './incident-rules.codec';

export const INCIDENT_RULE_REPOSITORY = Symbol('INCIDENT_RULE_REPOSITORY');
export const INCIDENT_RULES_SETTINGS = Symbol('INCIDENT_RULES_SETTINGS');

export interface IncidentRulesSettings {
  pollIntervalMs: number;
}

/**
 * Keeps `ActiveIncidentRules` equal to the newest correlation rule set in Postgres, compiled, on
 * every replica (a `ReloadingSnapshot`); the incident consumer reads one snapshot per batch.
 */
@Injectable()
export class IncidentRulesReloader extends ReloadingSnapshot {
  /** A version that does not compile, so it is logged once rather than at every poll. */
  private refusedVersion = 0;

  constructor(
    @Inject(INCIDENT_RULE_REPOSITORY) private readonly repository: RuleSetRepository,
    @Inject(INCIDENT_RULES_SETTINGS) options: IncidentRulesSettings,
    private readonly active: ActiveIncidentRules,
    nats: NatsClient,
  ) {
    super(nats, {
      name: 'incident rules',
      subject: BroadcastSubjects.IncidentRulesChanged,
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  protected override isHeld(notice: unknown): boolean {
    const version = (notice as Partial<IncidentRulesChangedV1>).version;
    return typeof version === 'number' && version <= this.active.current.version;
  }

  protected async load(): Promise<void> {
    const latest = await this.repository.latestVersion();
    if (latest === this.active.current.version || latest === this.refusedVersion) return;
    const version = await this.repository.get(latest);
    if (!version) return;
    const decoded = decodeRules(version.content);
    if (!decoded.ok) {
      this.refusedVersion = latest;
      this.logger.error(
        `incident rule set version ${latest} does not compile, keeping version ${this.active.current.version}: ${JSON.stringify(decoded.errors)}`,
      );
      return;
    }
    this.active.replace({ version: latest, stored: decoded.stored, rules: decoded.rules });
    this.logger.log(`incident rules version ${latest} in force (${decoded.rules.length} rules)`);
  }
}
