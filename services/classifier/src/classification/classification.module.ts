import { Module } from '@nestjs/common';
import { ReloadModule } from '../reload/reload.module';
import { AcceptedEventsHandler } from './accepted-events.handler';
import { ClassifierMetrics } from './classifier.metrics';
import { RuleHits } from './rule-hits';
import { RuleHitsController } from './rule-hits.controller';

/** Accepted events through the active rule set, published as classified events by category. */
@Module({
  imports: [ReloadModule],
  controllers: [AcceptedEventsHandler, RuleHitsController],
  providers: [ClassifierMetrics, RuleHits],
})
export class ClassificationModule {}
