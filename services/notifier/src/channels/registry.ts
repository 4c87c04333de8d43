import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ChannelAdapter, ChannelKind } from './channel-adapter';
import { EmailChannel } from './email.channel';
import { ChannelHttpClient } from './http-delivery';
import { PagerDutyChannel } from './pagerduty.channel';
import { SlackChannel } from './slack.channel';
import { TeamsChannel } from './teams.channel';
import { WebhookChannel } from './webhook.channel';

/** Validates a channel configuration of one kind; throws ChannelConfigError naming each bad field. */
export type ChannelConfigParser = (kind: ChannelKind, input: unknown) => object;

/**
 * One adapter per channel kind, sharing one HTTP connection pool. Adapters hold no per-target
 * state, so one instance serves every channel and contact method of its kind.
 */
@Injectable()
export class ChannelRegistry implements OnApplicationShutdown {
  private readonly http = new ChannelHttpClient();
  private readonly adapters: Record<ChannelKind, ChannelAdapter<object>>;

  constructor() {
    this.adapters = {
      webhook: new WebhookChannel(this.http),
      slack: new SlackChannel(this.http),
      teams: new TeamsChannel(this.http),
      email: new EmailChannel(),
      pagerduty: new PagerDutyChannel(this.http),
    };
  }

  adapter(kind: ChannelKind): ChannelAdapter<object> {
    return this.adapters[kind];
  }

  /** `adapter(kind).parseConfig(input)`, as a function to hand to the pure validation code. */
  readonly parseConfig: ChannelConfigParser = (kind, input) => this.adapters[kind].parseConfig(input);

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}
