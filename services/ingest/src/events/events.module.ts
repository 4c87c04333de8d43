import { Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from '../gate/api-key.authenticator';
import { IngestGate } from '../gate/ingest-gate';
import { BatchIngest } from './batch-ingest';
import { EventsController } from './events.controller';
import { IngestMetrics } from './ingest.metrics';
import { IngestService } from './ingest.service';
import { RawEventsHandler } from './raw-events.handler';
import { SubmitEventHandler } from './submit.handler';

/**
 * Ingest's core: the one ingest use case, the HTTP gate every request passes, and Vigil's own
 * producer event over HTTP, NATS and request/reply. Each other protocol is its own module on top.
 */
@Module({
  controllers: [EventsController, RawEventsHandler, SubmitEventHandler],
  providers: [IngestService, IngestMetrics, BatchIngest, IngestGate, ApiKeyAuthenticator],
  exports: [IngestService, IngestMetrics, BatchIngest, IngestGate, ApiKeyAuthenticator],
})
export class EventsModule {}
