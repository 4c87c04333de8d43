import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { BroadcastSubjects, describeFieldErrors, NotifierConfigChangedV1 } from '@vigil/contracts';
import { errorText, NatsClient } from '@vigil/messaging';
import { PollLoop, SerialReload } from '@vigil/runtime';
import { ChannelRegistry } from '../channels/registry';
import { buildSnapshot, emptySnapshot, NotifierConfigSnapshot, ParsedObject } from './config-snapshot';
import { parseNotifierObject } from './config-validation';
import { NotifierConfigRepository, StoredObject } from './config.repository';

export const NOTIFIER_CONFIG_OPTIONS = Symbol('NOTIFIER_CONFIG_OPTIONS');

export interface NotifierConfigOptions {
  /** How often to compare the stored version with the one held, in case a broadcast was missed. */
  pollIntervalMs: number;
  /** How long a test notification waits for each receiver. */
  testSendTimeoutMs: number;
}

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
export class NotifierConfig implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(NotifierConfig.name);
  private readonly serial = new SerialReload(() => this.reloadOnce());
  private readonly poll: PollLoop;
  private snapshot: NotifierConfigSnapshot = emptySnapshot();
  /** Parsed objects by kind, id, revision and time: an unchanged object is not parsed again. */
  private parsed = new Map<string, ParsedObject | undefined>();
  private subscription?: Subscription;

  constructor(
    private readonly repository: NotifierConfigRepository,
    private readonly channels: ChannelRegistry,
    private readonly nats: NatsClient,
    @Inject(NOTIFIER_CONFIG_OPTIONS) options: NotifierConfigOptions,
  ) {
    this.poll = new PollLoop(
      async () => {
        await this.reload();
        return false;
      },
      options.pollIntervalMs,
      (error) =>
        this.logger.warn(
          `reloading the configuration failed, keeping version ${this.snapshot.version}: ${errorText(error)}`,
        ),
    );
  }

  async onModuleInit(): Promise<void> {
    // Subscribed before the first load, so a save during it is not missed.
    this.subscription = this.nats.connection.subscribe(
      this.nats.space.exact(BroadcastSubjects.NotifierConfigChanged),
      {
        callback: (error, message) => {
          if (error) {
            this.logger.warn(`configuration broadcast: ${errorText(error)}`);
            return;
          }
          let version = Number.POSITIVE_INFINITY;
          try {
            version = message.json<Partial<NotifierConfigChangedV1>>().version ?? version;
          } catch {
            // An unreadable notice still means "something changed".
          }
          if (version > this.snapshot.version) this.poll.kick();
        },
      },
    );
    await this.reload();
    this.poll.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.poll.stop();
    await this.serial.settled();
  }

  current(): NotifierConfigSnapshot {
    return this.snapshot;
  }

  /** Loads the stored configuration if its version differs from the one held; resolves when done. */
  reload(): Promise<void> {
    return this.serial.run();
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
  async announce(version: number): Promise<void> {
    const notice: NotifierConfigChangedV1 = {
      schema: 'vigil.notifier.config-changed/v1',
      version,
      changedAt: new Date().toISOString(),
    };
    try {
      this.nats.connection.publish(
        this.nats.space.exact(BroadcastSubjects.NotifierConfigChanged),
        JSON.stringify(notice),
      );
    } catch (error) {
      this.logger.warn(
        `configuration notice not sent, replicas reload at their next poll: ${errorText(error)}`,
      );
    }
    try {
      await this.reload();
    } catch (error) {
      this.logger.warn(
        `reloading the configuration after a save failed, the next poll retries: ${errorText(error)}`,
      );
    }
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

  private async reloadOnce(): Promise<void> {
    const version = await this.repository.version();
    if (version === this.snapshot.version) return;
    const loaded = await this.repository.load();
    const parsed = this.parseStored(loaded.objects, true);
    this.parsed = parsed;
    const objects = [...parsed.values()].filter((object): object is ParsedObject => object !== undefined);
    const skipped = parsed.size - objects.length;
    this.snapshot = buildSnapshot(loaded.version, objects);
    this.logger.log(
      `notifier configuration version ${loaded.version} in force (${objects.length} objects${skipped ? `, ${skipped} left out` : ''})`,
    );
  }
}
