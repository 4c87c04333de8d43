import { Injectable } from '@nestjs/common';
import { BroadcastSubjects, RulesChangedV1 } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';
import { RuleSetRepository } from '@vigil/persistence';
import { ReloadingSnapshot } from '@vigil/runtime';
import type { CompiledRuleSet, LookupTable } from '@vigil/rules';
import { ClassifierEnv } from '../classifier.env';
import { LookupTableRepository } from '../storage/lookup-table.repository';
import { ActiveRules, RulesSnapshot } from './active-rules';
import {
  compileText,
  describeErrors,
  emptyRuleSet,
  NO_VERSION,
  parseStoredTable,
  RULE_SET_NAME,
} from './compile';

/**
 * How far back a replica looks for a rule set it can compile when the newest ones do not (saved by
 * an engine that accepted what this one refuses). Saving validates, so this is for upgrades only.
 */
const MAX_FALLBACK_VERSIONS = 10;

export type RulesChange = Pick<RulesChangedV1, 'kind' | 'name' | 'version'>;

/**
 * Keeps `ActiveRules` equal to the newest rule set and lookup tables in Postgres (a
 * `ReloadingSnapshot`: loaded before the consumers start, reloaded on every save's announcement and
 * on a poll), and announces this replica's saves.
 */
@Injectable()
export class RulesReloader extends ReloadingSnapshot {
  /** Versions that failed to load, so a broken one is logged once rather than at every poll. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly active: ActiveRules,
    private readonly ruleSets: RuleSetRepository,
    private readonly tables: LookupTableRepository,
    nats: NatsClient,
    env: ClassifierEnv,
  ) {
    super(nats, {
      name: 'the rules',
      subject: BroadcastSubjects.ClassifierRulesChanged,
      pollIntervalMs: env.RULES_POLL_INTERVAL_MS,
    });
  }

  /**
   * Called after a save's transaction committed, so a replica that hears the notice finds the new
   * version in Postgres. This replica applies it before the request is answered; the others within
   * a round trip, or at their next poll if the notice is lost.
   */
  announceChange(change: RulesChange): Promise<void> {
    const notice: RulesChangedV1 = {
      schema: 'vigil.classifier.rules-changed/v1',
      ...change,
      changedAt: new Date().toISOString(),
    };
    return this.announce(notice);
  }

  /** A replica hears its own notices too; one for a version it already runs needs no reload. */
  protected override isHeld(raw: unknown): boolean {
    const notice = raw as Partial<RulesChangedV1>;
    const held = this.active.current;
    if (typeof notice.version !== 'number') return false;
    if (notice.kind === 'rule_set') return notice.version <= held.version;
    if (notice.kind === 'lookup_table' && notice.name !== undefined) {
      return notice.version <= (held.tableVersions.get(notice.name) ?? 0);
    }
    return false;
  }

  protected async load(): Promise<void> {
    const held = this.active.current;
    const [latestVersion, heads] = await Promise.all([this.ruleSets.latestVersion(), this.tables.heads()]);

    let ruleSet = held.ruleSet;
    let version = held.version;
    if (latestVersion !== held.version) {
      const loaded = await this.loadRuleSet(latestVersion, held.version);
      if (loaded) ({ ruleSet, version } = loaded);
    }

    const tables = new Map(held.tables);
    const tableVersions = new Map(held.tableVersions);
    const inForce = new Map(heads.filter((head) => !head.deleted).map((head) => [head.name, head.version]));
    for (const name of held.tables.keys()) {
      if (inForce.has(name)) continue;
      tables.delete(name);
      tableVersions.delete(name);
    }
    for (const [name, tableVersion] of inForce) {
      if (held.tableVersions.get(name) === tableVersion) continue;
      const table = await this.loadTable(name, tableVersion);
      if (!table) continue;
      tables.set(name, table);
      tableVersions.set(name, tableVersion);
    }

    const next: RulesSnapshot = { ruleSet, version, tables, tableVersions };
    if (!changed(held, next)) return;
    this.active.replace(next);
    this.logger.log(
      `classifying with rule set version ${version} and ${tables.size} lookup table(s)` +
        (tables.size ? `: ${[...tableVersions].map(([name, v]) => `${name}@${v}`).join(', ')}` : ''),
    );
  }

  /**
   * The newest version above `held` that compiles. Versions are validated when saved, so one that
   * does not compile was saved by an engine that accepted more: the replica keeps classifying with
   * what it has (or the newest older version that works) instead of stopping.
   */
  private async loadRuleSet(
    latest: number,
    held: number,
  ): Promise<{ ruleSet: CompiledRuleSet; version: number } | undefined> {
    if (latest === NO_VERSION) return { ruleSet: emptyRuleSet(), version: NO_VERSION };
    const floor = latest > held ? held : NO_VERSION;
    for (let version = latest; version > floor && latest - version < MAX_FALLBACK_VERSIONS; version--) {
      const stored = await this.ruleSets.get(version);
      if (!stored) continue;
      const compiled = compileText(stored.content, stored.format, {
        name: RULE_SET_NAME,
        version: String(version),
      });
      if (compiled.ok) return { ruleSet: compiled.ruleSet, version };
      this.refuse(`rule set version ${version}`, describeErrors(compiled.errors));
    }
    return undefined;
  }

  private async loadTable(name: string, version: number): Promise<LookupTable | undefined> {
    const stored = await this.tables.get(name, version);
    if (!stored) return undefined;
    const parsed = parseStoredTable(stored);
    if (parsed.ok) return parsed.table;
    this.refuse(`lookup table ${name} version ${version}`, describeErrors(parsed.errors));
    return undefined;
  }

  private refuse(what: string, why: string): void {
    if (this.refused.has(what)) return;
    this.refused.add(what);
    this.logger.error(`${what} does not load with this engine and is skipped: ${why}`);
  }
}

function changed(held: RulesSnapshot, next: RulesSnapshot): boolean {
  if (held.ruleSet !== next.ruleSet || held.tables.size !== next.tables.size) return true;
  for (const [name, version] of next.tableVersions) {
    if (held.tableVersions.get(name) !== version) return true;
  }
  return false;
}
