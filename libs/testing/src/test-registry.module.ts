import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';

/** A process metrics registry for tests that assemble modules without ObservabilityModule. */
@Global()
@Module({ providers: [{ provide: Registry, useFactory: () => new Registry() }], exports: [Registry] })
export class TestRegistryModule {}
