import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CreateIncidentRuleV1,
  DeleteIncidentRuleV1,
  FieldError,
  IncidentRulesChangedV1,
  IncidentRuleSetV1,
  IncidentRuleSetVersionInfoV1,
  IncidentRuleV1,
  IncidentRuleWriteV1,
  ListIncidentRuleVersionsV1,
  RollbackIncidentRulesV1,
  UpdateIncidentRuleV1,
} from '@vigil/contracts';
import { InvalidMessageError, RpcFailure } from '@vigil/messaging';
import { RuleSetRepository, RuleSetVersion, RuleSetVersionInfo, StaleRuleSetError } from '@vigil/persistence';
import { parseIncidentRule, storedRule } from '../domain/incidents';
import { decodeRules, encodeRules } from './incident-rules.codec';
import { INCIDENT_RULE_REPOSITORY, IncidentRulesReloader } from './incident-rules.reloader';

/** Concurrent edits of one rule each are redone on the newer set this many times before giving up. */
const EDIT_ATTEMPTS = 5;

function versionInfo(version: RuleSetVersionInfo): IncidentRuleSetVersionInfoV1 {
  return {
    version: version.version,
    author: version.author,
    comment: version.comment,
    createdAt: version.createdAt.toISOString(),
    rolledBackFrom: version.rolledBackFrom,
  };
}

const prefixed = (prefix: string, errors: readonly FieldError[]): FieldError[] =>
  errors.map((e) => ({ field: e.field ? `${prefix}.${e.field}` : prefix, reason: e.reason }));

/**
 * The correlation rules' API: one ordered, versioned set in `correlator.incident_rule_set_versions`
 * (each create, update, delete or rollback appends a version, so the history is the audit trail).
 * A save commits, then is announced to every replica (IncidentRulesReloader) before answering.
 */
@Injectable()
export class IncidentRulesService {
  constructor(
    @Inject(INCIDENT_RULE_REPOSITORY) private readonly repository: RuleSetRepository,
    private readonly reloader: IncidentRulesReloader,
  ) {}

  /** Brings the rules in force up to date with Postgres (tests and callers that just saved). */
  reload(): Promise<void> {
    return this.reloader.reload();
  }

  // ------------------------------------------------------------------------------------------
  // Reads: from Postgres, so an answer never lags behind a save another replica made.

  async getSet(version?: number): Promise<IncidentRuleSetV1> {
    const found = version === undefined ? await this.repository.latest() : await this.repository.get(version);
    if (!found) {
      if (version !== undefined)
        throw new RpcFailure('not_found', `incident rule set version ${version} not found`);
      return {
        version: 0,
        author: 'system',
        comment: null,
        createdAt: new Date(0).toISOString(),
        rolledBackFrom: null,
        rules: [],
      };
    }
    return { ...versionInfo(found), rules: this.rulesOf(found) };
  }

  async getRule(id: string): Promise<IncidentRuleV1> {
    const rule = (await this.getSet()).rules.find((r) => r.id === id);
    if (!rule) throw new RpcFailure('not_found', `incident rule ${id} not found`);
    return rule;
  }

  async versions(request: ListIncidentRuleVersionsV1): Promise<IncidentRuleSetVersionInfoV1[]> {
    const list = await this.repository.list({ limit: request.limit ?? 50, before: request.before });
    return list.map(versionInfo);
  }

  // ------------------------------------------------------------------------------------------
  // Writes: each is a new version of the whole set.

  create(request: CreateIncidentRuleV1): Promise<IncidentRuleWriteV1> {
    const rule = this.validated(randomUUID(), request.rule);
    return this.edit(request, (rules) => {
      const list = [...rules];
      list.splice(request.position ?? list.length, 0, rule);
      return { rules: list, rule };
    });
  }

  update(request: UpdateIncidentRuleV1): Promise<IncidentRuleWriteV1> {
    const rule = this.validated(request.id, request.rule);
    return this.edit(request, (rules) => {
      const at = rules.findIndex((r) => r.id === request.id);
      if (at < 0) throw new RpcFailure('not_found', `incident rule ${request.id} not found`);
      const list = rules.filter((r) => r.id !== request.id);
      list.splice(request.position ?? at, 0, rule);
      return { rules: list, rule };
    });
  }

  delete(request: DeleteIncidentRuleV1): Promise<IncidentRuleWriteV1> {
    return this.edit(request, (rules) => {
      if (!rules.some((r) => r.id === request.id)) {
        throw new RpcFailure('not_found', `incident rule ${request.id} not found`);
      }
      return { rules: rules.filter((r) => r.id !== request.id), deleted: true };
    });
  }

  async rollback(request: RollbackIncidentRulesV1): Promise<IncidentRuleSetV1> {
    const older = await this.repository.get(request.version);
    if (!older) throw new RpcFailure('not_found', `incident rule set version ${request.version} not found`);
    const saved = await this.repository.save({
      content: older.content,
      format: 'json',
      author: request.actor,
      comment: request.comment ?? `rollback to version ${request.version}`,
      rolledBackFrom: request.version,
    });
    await this.announce(saved.version);
    return { ...versionInfo(saved), rules: this.rulesOf(saved) };
  }

  private validated(id: string, definition: unknown): IncidentRuleV1 {
    const parsed = parseIncidentRule(definition, id);
    if (!parsed.ok) throw new InvalidMessageError(prefixed('rule', parsed.errors));
    return storedRule(id, parsed.rule, (definition as { matchers: string[] }).matchers);
  }

  private rulesOf(version: RuleSetVersion): IncidentRuleV1[] {
    const decoded = decodeRules(version.content);
    if (!decoded.ok) {
      throw new RpcFailure('internal', `incident rule set version ${version.version} is unreadable`);
    }
    return decoded.stored;
  }

  /** Applies `change` to the newest set and saves the result, redoing it if another save came first. */
  private async edit(
    request: { actor: string; comment?: string },
    change: (rules: readonly IncidentRuleV1[]) => {
      rules: IncidentRuleV1[];
      rule?: IncidentRuleV1;
      deleted?: boolean;
    },
  ): Promise<IncidentRuleWriteV1> {
    for (let attempt = 1; ; attempt++) {
      const latest = await this.repository.latest();
      const result = change(latest ? this.rulesOf(latest) : []);
      try {
        const saved = await this.repository.save({
          content: encodeRules(result.rules),
          format: 'json',
          author: request.actor,
          comment: request.comment ?? null,
          basedOn: latest?.version ?? 0,
        });
        await this.announce(saved.version);
        return {
          version: saved.version,
          ...(result.rule && { rule: result.rule }),
          ...(result.deleted && { deleted: true }),
        };
      } catch (error) {
        if (!(error instanceof StaleRuleSetError) || attempt >= EDIT_ATTEMPTS) {
          if (error instanceof StaleRuleSetError) throw new RpcFailure('conflict', error.message);
          throw error;
        }
      }
    }
  }

  private announce(version: number): Promise<void> {
    const notice: IncidentRulesChangedV1 = {
      schema: 'vigil.correlator.incident-rules-changed/v1',
      version,
      changedAt: new Date().toISOString(),
    };
    return this.reloader.announce(notice);
  }
}
