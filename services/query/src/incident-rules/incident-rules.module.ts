import { Module } from '@nestjs/common';
import { IncidentRulesController } from './incident-rules.controller';

@Module({ controllers: [IncidentRulesController] })
export class IncidentRulesModule {}
