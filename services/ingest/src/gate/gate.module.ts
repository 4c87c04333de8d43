import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { IngestGate } from './ingest-gate';

/** What every HTTP request passes before its events are read: API key, source scope, rate, capacity. */
@Module({
  imports: [EventsModule],
  providers: [IngestGate, ApiKeyAuthenticator],
  exports: [IngestGate, ApiKeyAuthenticator],
})
export class GateModule {}
