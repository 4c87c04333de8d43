import { Module } from '@nestjs/common';
import { HousekeepingPoller } from './housekeeping.poller';
import { HousekeepingRepository } from './housekeeping.repository';
import { HousekeepingService } from './housekeeping.service';

/**
 * Retention of occurrences (daily partitions) and the archive of closed alerts. Configured by the
 * root wiring (`HOUSEKEEPING_SETTINGS`).
 */
@Module({
  providers: [HousekeepingRepository, HousekeepingService, HousekeepingPoller],
})
export class HousekeepingModule {}
