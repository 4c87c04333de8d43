import { Module } from '@nestjs/common';
import { InhibitRulesController } from './inhibit-rules.controller';
import { MaintenanceWindowsController } from './maintenance-windows.controller';

@Module({ controllers: [MaintenanceWindowsController, InhibitRulesController] })
export class SilencesModule {}
