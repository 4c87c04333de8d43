import { Injectable, Logger } from '@nestjs/common';
import { BroadcastSubjects, RulesChangedV1 } from '@vigil/contracts';
import { errorText, NatsClient } from '@vigil/messaging';
import { RulesReloader } from './rules-reloader';

export type RulesChange = Pick<RulesChangedV1, 'kind' | 'name' | 'version'>;

/** Tells every replica that a rule set or lookup table was saved. */
@Injectable()
export class RulesChangeAnnouncer {
  private readonly logger = new Logger(RulesChangeAnnouncer.name);

  constructor(
    private readonly nats: NatsClient,
    private readonly reloader: RulesReloader,
  ) {}

  /**
   * Called after the save's transaction committed, so a replica that hears the notice finds the new
   * version in Postgres. This replica applies it before the request is answered; the others within
   * a round trip, or at their next poll if the notice is lost.
   */
  async announce(change: RulesChange): Promise<void> {
    const notice: RulesChangedV1 = {
      schema: 'vigil.classifier.rules-changed/v1',
      ...change,
      changedAt: new Date().toISOString(),
    };
    try {
      this.nats.connection.publish(
        this.nats.space.exact(BroadcastSubjects.ClassifierRulesChanged),
        JSON.stringify(notice),
      );
    } catch (error) {
      this.logger.warn(
        `rules-changed notice not sent, replicas reload at their next poll: ${errorText(error)}`,
      );
    }
    try {
      await this.reloader.reload();
    } catch (error) {
      this.logger.warn(`reloading after a save failed, the next poll retries: ${errorText(error)}`);
    }
  }
}
