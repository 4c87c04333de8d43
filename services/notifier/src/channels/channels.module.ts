import { Module } from '@nestjs/common';
import { ChannelRegistry } from './registry';

/**
 * How notifications are said and sent: one adapter per channel kind (webhook, Slack, Teams,
 * email, PagerDuty) behind the registry, sharing one HTTP connection pool. Nothing here knows who
 * is notified or when.
 */
@Module({
  providers: [ChannelRegistry],
  exports: [ChannelRegistry],
})
export class ChannelsModule {}
