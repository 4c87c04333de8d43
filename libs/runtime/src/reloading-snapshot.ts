import { Logger } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { errorText, NatsClient } from '@vigil/messaging';
import { PollLoop } from './poll-loop';
import { SerialReload } from './serial-reload';

export interface ReloadingSnapshotOptions {
  /** What is held, for log lines: "rules", "incident rules", "the configuration". */
  name: string;
  /** Who logs, e.g. the owning class's name. */
  context: string;
  /** The core-NATS subject saves are announced on, without the subject prefix. */
  subject: string;
  /** How often to look for a save whose announcement this replica missed. */
  pollIntervalMs: number;
  /** One reload: brings what is held up to date with Postgres (cheap when nothing changed). */
  load: () => Promise<void>;
  /**
   * Whether an announcement is about something this replica already holds (replicas hear their
   * own). An announcement that cannot be read always reloads.
   */
  alreadyHeld?: (notice: unknown) => boolean;
}

/**
 * Something every replica holds in memory and keeps equal to what Postgres holds (rule sets, the
 * notifier's configuration): loaded before the consumers start, reloaded when a save on any
 * replica is announced on core NATS (every replica hears it, no queue group), and polled in case
 * an announcement is lost. Reloads run one at a time; requests during one coalesce into one next
 * reload. Postgres is the truth; an announcement is only a hint to look.
 */
export class ReloadingSnapshot {
  private readonly logger: Logger;
  private readonly serial: SerialReload;
  private readonly poll: PollLoop;
  private subscription?: Subscription;

  constructor(
    private readonly nats: NatsClient,
    private readonly options: ReloadingSnapshotOptions,
  ) {
    this.logger = new Logger(options.context);
    this.serial = new SerialReload(options.load);
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

  /** Subscribes (first, so a save during the first load is not missed), loads, then polls. */
  async start(): Promise<void> {
    this.subscription = this.nats.connection.subscribe(this.nats.space.exact(this.options.subject), {
      callback: (error, message) => {
        if (error) this.logger.warn(`${this.options.name} announcements: ${errorText(error)}`);
        else if (!this.held(message)) this.poll.kick();
      },
    });
    await this.reload();
    this.poll.start();
  }

  async stop(): Promise<void> {
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

  private held(message: Msg): boolean {
    if (!this.options.alreadyHeld) return false;
    try {
      return this.options.alreadyHeld(message.json<unknown>());
    } catch {
      return false;
    }
  }
}
