import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { errorText, NatsClient } from '@vigil/messaging';
import { PollLoop } from './poll-loop';
import { SerialReload } from './serial-reload';

export interface ReloadingSnapshotOptions {
  /** What is held, for log lines: "the rules", "incident rules", "the configuration". */
  name: string;
  /** The core-NATS subject saves are announced on, without the subject prefix. */
  subject: string;
  /** How often to look for a save whose announcement this replica missed. */
  pollIntervalMs: number;
}

/**
 * Something every replica holds in memory and keeps equal to what Postgres holds (rule sets, the
 * notifier's configuration): loaded before the consumers start (Nest initialises every module
 * first), reloaded when a save on any replica is announced on core NATS (every replica hears it,
 * no queue group), and polled in case an announcement is lost. Reloads run one at a time;
 * requests during one coalesce into one next reload. Postgres is the truth; an announcement is
 * only a hint to look. A subclass says how to `load` and, optionally, which announcements are about
 * what it already holds.
 */
export abstract class ReloadingSnapshot implements OnModuleInit, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly serial = new SerialReload(() => this.load());
  private readonly poll: PollLoop;
  private subscription?: Subscription;

  protected constructor(
    private readonly nats: NatsClient,
    private readonly options: ReloadingSnapshotOptions,
  ) {
    this.poll = new PollLoop(
      async () => {
        await this.reload();
        return false;
      },
      options.pollIntervalMs,
      (error) =>
        this.logger.warn(`reloading ${options.name} failed, keeping what is held: ${errorText(error)}`),
    );
  }

  /** One reload: brings what is held up to date with Postgres (cheap when nothing changed). */
  protected abstract load(): Promise<void>;

  /** Whether an announcement is about something already held (replicas hear their own). */
  protected isHeld(_notice: unknown): boolean {
    return false;
  }

  /** Subscribes (first, so a save during the first load is not missed), loads, then polls. */
  async onModuleInit(): Promise<void> {
    this.subscription = this.nats.connection.subscribe(this.nats.space.exact(this.options.subject), {
      callback: (error, message) => {
        if (error) this.logger.warn(`${this.options.name} announcements: ${errorText(error)}`);
        else if (!this.heldAlready(message)) this.poll.kick();
      },
    });
    await this.reload();
    this.poll.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.poll.stop();
    await this.serial.settled();
  }

  /** Brings what is held up to date; resolves once it is (or was already). */
  reload(): Promise<void> {
    return this.serial.run();
  }

  /**
   * After a save has committed: tells every replica (this one included) and reloads here before
   * returning, so the caller's answer reflects the save. Neither failure fails the save: other
   * replicas catch up at their next poll, this one at its next reload.
   */
  async announce(notice: object): Promise<void> {
    try {
      this.nats.connection.publish(this.nats.space.exact(this.options.subject), JSON.stringify(notice));
    } catch (error) {
      this.logger.warn(
        `${this.options.name} announcement not sent, replicas reload at their next poll: ${errorText(error)}`,
      );
    }
    try {
      await this.reload();
    } catch (error) {
      this.logger.warn(
        `reloading ${this.options.name} after a save failed, the next poll retries: ${errorText(error)}`,
      );
    }
  }

  private heldAlready(message: Msg): boolean {
    try {
      return this.isHeld(message.json<unknown>());
    } catch {
      // An unreadable announcement still means "something changed".
      return false;
    }
  }
}
