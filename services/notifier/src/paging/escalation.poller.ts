import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SqlPool } from '@vigil/persistence';
import { PollLoop } from '@vigil/runtime';
import { NotifierConfig } from '../config';
import { EscalationRepository } from './escalation.repository';
import { PageRepository } from './page.repository';
import { PageMembers } from './page-members';
import { PAGING_SETTINGS } from './paging.settings';
import type { PagingSettings } from './paging.settings';
import { newPassWrites, StepFiring } from './step-firing';

/**
 * Fires due escalation steps. Steps are rows: a pass claims the due ones with their pages
 * (FOR UPDATE SKIP LOCKED), so each fires once across replicas and restarts; firing one queues its
 * deliveries and the next step in the same transaction.
 */
@Injectable()
export class EscalationPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EscalationPoller.name);
  private readonly loop: PollLoop;

  constructor(
    private readonly sql: SqlPool,
    private readonly repository: EscalationRepository,
    private readonly pages: PageRepository,
    private readonly config: NotifierConfig,
    private readonly firing: StepFiring,
    @Inject(PAGING_SETTINGS) private readonly settings: PagingSettings,
  ) {
    this.loop = new PollLoop(
      () => this.pass(),
      settings.stepPollIntervalMs,
      (error) => this.logger.error(`escalation pass failed: ${String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  kick(): void {
    this.loop.kick();
  }

  /** One pass: true when the batch was full (more may be due). */
  async pass(now = new Date()): Promise<boolean> {
    const snapshot = this.config.current();
    const { claimed, queued } = await this.sql.transaction(async (tx) => {
      const due = await this.repository.claimDue(tx, this.settings.stepBatchSize);
      if (!due.length) return { claimed: 0, queued: [] };
      const members = await this.pages.pageMembers(tx, [...new Set(due.map((d) => d.page.id))]);
      const writes = newPassWrites();
      for (const step of due)
        await this.firing.fire(
          tx,
          step,
          members.get(step.page.id) ?? PageMembers.of([]),
          snapshot,
          writes,
          now,
        );
      // The pass's writes go out together, a statement per table, in the claim's transaction.
      return { claimed: due.length, queued: await this.firing.write(tx, writes) };
    });
    this.firing.send(queued);
    return claimed === this.settings.stepBatchSize;
  }
}
