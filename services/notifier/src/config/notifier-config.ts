import { Inject, Injectable } from '@nestjs/common';
import { BroadcastSubjects, describeFieldErrors, NotifierConfigChangedV1 } from '@vigil/contracts';
import { errorText, NatsClient } from '@vigil/messaging';
import { ReloadingSnapshot } from '@vigil/runtime';
import { ChannelRegistry, redactUrl } from '../channels';
import { buildSnapshot, NotifierConfigSnapshot, ParsedObject } from './config-snapshot';
import { parseNotifierObject } from './config-validation';
import { NOTIFIER_CONFIG_SETTINGS } from './config.settings';
import type { NotifierConfigSettings } from './config.settings';
import { NotifierConfigRepository, StoredObject } from './config.repository';
import { FeedTarget, feedTargets } from './feed-targets';

const cacheKey = (object: StoredObject) =>
  `${object.kind}/${object.id}@${object.revision}@${object.updatedAt.getTime()}`;

/**
 * The configuration in force on this replica: one immutable snapshot, swapped by one assignment,
 * so a reader that takes `current()` once sees one version throughout. Loaded at start, and again
 * whenever the stored version moves: on the broadcast every save sends, and on a poll in case the
 * broadcast was lost. An object that no longer parses (saved by an older version) is left out and
 * logged rather than stopping the service.
 */
@Injectable()
export class NotifierConfig extends ReloadingSnapshot {
  /** From the environment: the same in every snapshot of this process. */
  private readonly feeds: readonly FeedTarget[];
  private snapshot: NotifierConfigSnapshot;
  /** Parsed objects by kind, id, revision and time: an unchanged object is not parsed again. */
  private parsed = new Map<string, ParsedObject | undefined>();

  constructor(
    private readonly repository: NotifierConfigRepository,
    private readonly channels: ChannelRegistry,
    nats: NatsClient,
    @Inject(NOTIFIER_CONFIG_SETTINGS) settings: NotifierConfigSettings,
  ) {
    super(nats, {
      name: 'the configuration',
      subject: BroadcastSubjects.NotifierConfigChanged,
      pollIntervalMs: settings.pollIntervalMs,
    });
    this.feeds = feedTargets(settings.feed);
    this.snapshot = buildSnapshot(0, [], this.feeds);
  }

  override async onModuleInit(): Promise<void> {
    this.describeFeed();
    await super.onModuleInit();
  }

  protected override isHeld(notice: unknown): boolean {
    const version = (notice as Partial<NotifierConfigChangedV1>).version;
    return typeof version === 'number' && version <= this.snapshot.version;
  }

  current(): NotifierConfigSnapshot {
    return this.snapshot;
  }

  /**
   * The configuration after catching up with the stored version (one cheap query when nothing
   * changed): what a request that must see a save made a moment ago, on any replica, reads.
   * If Postgres cannot be asked, the configuration held.
   */
  async fresh(): Promise<NotifierConfigSnapshot> {
    try {
      await this.reload();
    } catch (error) {
      this.logger.warn(
        `could not check for a newer configuration, using version ${this.snapshot.version}: ${errorText(error)}`,
      );
    }
    return this.snapshot;
  }

  /** Announces a save to every replica (this one included) and reloads here before returning. */
  announceVersion(version: number): Promise<void> {
    const notice: NotifierConfigChangedV1 = {
      schema: 'vigil.notifier.config-changed/v1',
      version,
      changedAt: new Date().toISOString(),
    };
    return this.announce(notice);
  }

  /**
   * Parses stored objects, reusing what was parsed before; those that do not parse are left out
   * (and, with `log`, logged).
   */
  parseStored(objects: readonly StoredObject[], log = false): Map<string, ParsedObject | undefined> {
    const parsed = new Map<string, ParsedObject | undefined>();
    for (const object of objects) {
      const key = cacheKey(object);
      if (this.parsed.has(key)) {
        parsed.set(key, this.parsed.get(key));
        continue;
      }
      const result = parseNotifierObject(object.kind, object.id, object.body, this.channels.parseConfig);
      if (!result.ok && log) {
        this.logger.error(
          `${object.kind} "${object.id}" (revision ${object.revision}) does not parse and is left out: ${describeFieldErrors(result.errors)}`,
        );
      }
      parsed.set(key, result.ok ? result.value : undefined);
    }
    return parsed;
  }

  /** Loads the stored configuration if its version differs from the one held. */
  protected async load(): Promise<void> {
    const version = await this.repository.version();
    if (version === this.snapshot.version) return;
    const loaded = await this.repository.load();
    const parsed = this.parseStored(loaded.objects, true);
    this.parsed = parsed;
    const objects = [...parsed.values()].filter((object): object is ParsedObject => object !== undefined);
    const skipped = parsed.size - objects.length;
    this.snapshot = buildSnapshot(loaded.version, objects, this.feeds);
    this.logger.log(
      `notifier configuration version ${loaded.version} in force (${objects.length} objects${skipped ? `, ${skipped} left out` : ''})`,
    );
  }

  private describeFeed(): void {
    if (!this.feeds.length) {
      this.logger.log('no NOTIFIER_WEBHOOK_URLS: alert transitions are not fed to any webhook');
      return;
    }
    // Origin and path only: credentials and query strings (tokens) in a URL are never logged.
    const targets = this.feeds.map((feed) => `${feed.target} = ${redactUrl(feed.config.url, true)}`);
    const signing = this.feeds[0].config.secret ? 'signed' : 'unsigned (no NOTIFIER_WEBHOOK_SECRETS)';
    this.logger.log(`transition feed to ${targets.join(', ')}; ${signing}`);
  }
}
