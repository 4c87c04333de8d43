import { Module } from '@nestjs/common';
import { IncidentRulesController } from './incident-rules.controller';
import { OperatorModule } from '../operator/operator.module';

@Module({ imports: [OperatorModule], controllers: [IncidentRulesController] })
export class IncidentRulesModule {}
