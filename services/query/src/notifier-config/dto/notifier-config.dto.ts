import { PickType } from '@nestjs/swagger';
import {
  DeleteNotifierObjectV1,
  PutNotifierObjectV1,
  ScheduleShiftsV1,
  WhoIsOnCallV1,
} from '@vigil/contracts';

/** A PUT's body is the object itself: who writes, and why, come in the query string. */
export class PutObjectQuery extends PickType(PutNotifierObjectV1, ['actor', 'comment'] as const) {}

/** A DELETE carries no body: `?actor=alice`. */
export class DeleteObjectQuery extends PickType(DeleteNotifierObjectV1, ['actor'] as const) {}

/** `?at=` (RFC 3339); now when absent. */
export class OnCallQuery extends PickType(WhoIsOnCallV1, ['at'] as const) {}

/** `?from=&to=` (RFC 3339); now and 14 days later when absent. */
export class ShiftsQuery extends PickType(ScheduleShiftsV1, ['from', 'to'] as const) {}
