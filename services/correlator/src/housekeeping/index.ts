// What other folders may use of housekeeping/.
export { HousekeepingModule } from './housekeeping.module';
export { HOUSEKEEPING_SETTINGS } from './housekeeping.service';
export type { HousekeepingSettings } from './housekeeping.service';
