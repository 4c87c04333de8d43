import { DynamicModule, Module } from '@nestjs/common';
import { HousekeepingRepository } from './housekeeping.repository';
import { HOUSEKEEPING_OPTIONS, HousekeepingOptions, HousekeepingService } from './housekeeping.service';

@Module({})
export class HousekeepingModule {
  static register(options: HousekeepingOptions): DynamicModule {
    return {
      module: HousekeepingModule,
      providers: [
        { provide: HOUSEKEEPING_OPTIONS, useValue: options },
        HousekeepingRepository,
        HousekeepingService,
      ],
      exports: [HousekeepingService],
    };
  }
}
