import {
  ConflictException,
  Injectable,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { RuleSetFormat, RuleSetRepository, RuleSetVersion, RuleSetVersionInfo } from '@vigil/persistence';
import {
  CompiledRuleSet,
  exportPantherRules,
  parsePantherRules,
  parseRuleSet,
  RuleError,
  RuleSetDocument,
  serialiseRuleSet,
} from '@vigil/rules';
import { documentErrorsException } from '../http/errors';
import { ActiveRules } from '../reload/active-rules';
import { compileText, EMPTY_DOCUMENT, RULE_SET_NAME } from '../reload/compile';
import { RulesReloader } from '../reload/rules-reloader';
import type { ShownFormat } from './rule-set.dto';
import { changedLines, RuleSetChanges, ruleSetChanges, unifiedDiff } from './version-diff';

export interface RuleSetSubmission {
  content: string;
  format: RuleSetFormat;
  author: string;
  comment: string | null;
}

type RuleInfo = CompiledRuleSet['rules'][number];

/** What a reviewer should know about a valid rule set before it goes live. */
export interface RuleSetNotes {
  /** Accepted, but may not mean what the author expects (a translated Panther name…). */
  warnings: RuleError[];
  /** Tables the rules look up that do not exist (yet): those lookups find nothing. */
  missingTables: string[];
}

export interface ValidRuleSet extends RuleSetNotes {
  valid: true;
  rules: RuleInfo[];
  groups: string[];
  lookupTables: string[];
}

/** A version as the API shows it. */
export interface VersionView extends Omit<RuleSetVersionInfo, 'createdAt'> {
  createdAt: string;
}

export interface SavedVersion extends VersionView, RuleSetNotes {
  /** Rules in the saved set, disabled ones included. */
  rules: number;
}

export interface RuleSetView extends Omit<VersionView, 'format'> {
  format: ShownFormat;
  content: string;
}

export interface VersionDetail extends VersionView {
  content: string;
  previousVersion: number | null;
  /**
   * Unified diff against the previous version: of the texts as saved, or of their canonical YAML
   * when the two were saved in different formats.
   */
  diff: string;
  linesAdded: number;
  linesRemoved: number;
  /** Rule by rule; null when one of the two no longer parses with this engine. */
  changes: RuleSetChanges | null;
}

const view = (version: RuleSetVersionInfo): VersionView => ({
  version: version.version,
  author: version.author,
  createdAt: version.createdAt.toISOString(),
  comment: version.comment,
  format: version.format,
  rolledBackFrom: version.rolledBackFrom,
});

function renderRuleSet(document: RuleSetDocument, format: ShownFormat): string {
  return format === 'panther' ? exportPantherRules(document) : serialiseRuleSet(document, format);
}

/** The rule set's history: validating, saving, rolling back, importing and showing versions. */
@Injectable()
export class RuleSetService {
  constructor(
    private readonly repository: RuleSetRepository,
    private readonly reloader: RulesReloader,
    private readonly activeRules: ActiveRules,
  ) {}

  /** What would be saved, or 400 with every problem's line and column. */
  validate(content: string, format: RuleSetFormat): ValidRuleSet {
    const compiled = this.compileOrRefuse(content, format, 'rule set');
    return {
      valid: true,
      rules: [...compiled.ruleSet.rules],
      groups: [...compiled.ruleSet.groups],
      lookupTables: [...compiled.ruleSet.lookupTables],
      ...this.notes(compiled),
    };
  }

  /** Validates, appends a version, and has every replica load it. */
  async save(submission: RuleSetSubmission, rolledBackFrom: number | null = null): Promise<SavedVersion> {
    const compiled = this.compileOrRefuse(submission.content, submission.format, 'rule set');
    const saved = await this.repository.save({ ...submission, rolledBackFrom });
    await this.reloader.announceChange({ kind: 'rule_set', version: saved.version });
    return { ...view(saved), rules: compiled.ruleSet.rules.length, ...this.notes(compiled) };
  }

  async active(format?: ShownFormat): Promise<RuleSetView> {
    const latest = await this.repository.latest();
    if (!latest) {
      throw new NotFoundException(
        'no rule set has been saved yet: the classifier runs the empty rule set ' +
          '(default category, priority from severity)',
      );
    }
    const shown = format ?? latest.format;
    const content = shown === latest.format ? latest.content : renderRuleSet(this.documentOf(latest), shown);
    return { ...view(latest), format: shown, content };
  }

  async exportText(format: ShownFormat): Promise<string> {
    return (await this.active(format)).content;
  }

  async versions(
    limit: number,
    before?: number,
  ): Promise<{ active: number | null; versions: VersionView[] }> {
    const [active, versions] = await Promise.all([
      this.repository.latestVersion(),
      this.repository.list({ limit, before }),
    ]);
    return { active: active || null, versions: versions.map(view) };
  }

  async version(version: number): Promise<VersionDetail> {
    const current = await this.repository.get(version);
    if (!current) throw new NotFoundException(`no rule set version ${version}`);
    const previous = await this.repository.previous(version);
    const sameFormat = !previous || previous.format === current.format;
    const [before, after] = sameFormat
      ? [previous?.content ?? '', current.content]
      : [this.canonical(previous), this.canonical(current)];
    const diff = unifiedDiff(
      { label: previous ? `version ${previous.version}` : 'no rule set', text: before },
      { label: `version ${version}`, text: after },
    );
    const lines = changedLines(diff);
    return {
      ...view(current),
      content: current.content,
      previousVersion: previous?.version ?? null,
      diff,
      linesAdded: lines.added,
      linesRemoved: lines.removed,
      changes: this.changesBetween(previous, current),
    };
  }

  /** Appends a copy of an older version: the history keeps both the mistake and the way back. */
  async rollback(version: number, author: string, comment: string | undefined): Promise<SavedVersion> {
    const target = await this.repository.get(version);
    if (!target) throw new NotFoundException(`no rule set version ${version}`);
    if ((await this.repository.latestVersion()) === version) {
      throw new ConflictException(`version ${version} is already the active rule set`);
    }
    return this.save(
      {
        content: target.content,
        format: target.format,
        author,
        comment: comment ?? `rollback to version ${version}`,
      },
      version,
    );
  }

  /** A Panther server.rules.yml, translated and stored as Vigil YAML. */
  async importPanther(
    text: string,
    author: string,
    comment: string | undefined,
    timezone?: string,
  ): Promise<SavedVersion> {
    const parsed = parsePantherRules(text, timezone === undefined ? {} : { timezone });
    if (!parsed.ok) throw documentErrorsException('Panther rule file', parsed.errors);
    const content = serialiseRuleSet(parsed.document, 'yaml');
    // The translation must load as it will be stored; if it does not, the engine's serialiser and
    // parser disagree, and saving it would leave a version no replica can use.
    const reparsed = compileText(content, 'yaml', { name: RULE_SET_NAME, version: 'import' });
    if (!reparsed.ok) {
      throw new InternalServerErrorException({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'the translated Panther rules do not load again; nothing was saved',
        errors: reparsed.errors,
      });
    }
    const saved = await this.save({
      content,
      format: 'yaml',
      author,
      comment: comment ?? 'imported from Panther',
    });
    // The translation's warnings (Panther names mapped to Vigil's) are about the file as sent.
    return { ...saved, warnings: [...(parsed.warnings ?? []), ...saved.warnings] };
  }

  private notes(compiled: { ruleSet: CompiledRuleSet; warnings: RuleError[] }): RuleSetNotes {
    const loaded = this.activeRules.current.tables;
    return {
      warnings: compiled.warnings,
      missingTables: compiled.ruleSet.lookupTables.filter((table) => !loaded.has(table)),
    };
  }

  private compileOrRefuse(content: string, format: RuleSetFormat, what: string) {
    const compiled = compileText(content, format, { name: RULE_SET_NAME, version: 'draft' });
    if (!compiled.ok) throw documentErrorsException(what, compiled.errors);
    return compiled;
  }

  private documentOf(stored: RuleSetVersion): RuleSetDocument {
    const parsed = parseRuleSet({ text: stored.content, format: stored.format });
    if (parsed.ok) return parsed.document;
    throw new InternalServerErrorException({
      statusCode: 500,
      error: 'Internal Server Error',
      message: `rule set version ${stored.version} no longer parses; it can only be shown as saved`,
      errors: parsed.errors,
    });
  }

  private canonical(stored: RuleSetVersion | undefined): string {
    if (!stored) return '';
    const parsed = parseRuleSet({ text: stored.content, format: stored.format });
    return parsed.ok ? serialiseRuleSet(parsed.document, 'yaml') : stored.content;
  }

  private changesBetween(
    previous: RuleSetVersion | undefined,
    current: RuleSetVersion,
  ): RuleSetChanges | null {
    const before = previous ? parseRuleSet({ text: previous.content, format: previous.format }) : undefined;
    const after = parseRuleSet({ text: current.content, format: current.format });
    if (!after.ok || (before && !before.ok)) return null;
    return ruleSetChanges(before?.document ?? EMPTY_DOCUMENT, after.document);
  }
}
