// What other folders may use of housekeeping/.
export { HousekeepingModule } from './housekeeping.module';
export { HOUSEKEEPING_OPTIONS } from './housekeeping.service';
export type { HousekeepingOptions } from './housekeeping.service';
