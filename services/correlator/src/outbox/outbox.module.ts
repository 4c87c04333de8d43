import { DynamicModule, Module } from '@nestjs/common';
import { OUTBOX_OPTIONS, OutboxOptions, OutboxRelay } from './outbox.relay';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRepository } from './outbox.repository';

@Module({})
export class OutboxModule {
  static register(options: OutboxOptions): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: options },
        OutboxRepository,
        OutboxRelay,
        OutboxMetrics,
      ],
      exports: [OutboxRelay, OutboxRepository],
    };
  }
}
