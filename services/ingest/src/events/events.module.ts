import { Module } from '@nestjs/common';
import { IngestMetrics } from './ingest.metrics';
import { IngestService } from './ingest.service';

/**
 * Ingest's one use case, whatever the channel or format: validate, normalise, fingerprint, then
 * store the accepted event or archive the refusal. Every entry point (protocols/) is built on it.
 */
@Module({
  providers: [IngestService, IngestMetrics],
  exports: [IngestService, IngestMetrics],
})
export class EventsModule {}
