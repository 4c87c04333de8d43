import { Module } from '@nestjs/common';
import { InhibitRulesController } from './inhibit-rules.controller';
import { MaintenanceWindowsController } from './maintenance-windows.controller';
import { OperatorModule } from '../operator/operator.module';

@Module({ imports: [OperatorModule], controllers: [MaintenanceWindowsController, InhibitRulesController] })
export class SilencesModule {}
