import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { CorrelatorEnv } from './correlator.env';

export const correlatorService: ServiceDefinition<CorrelatorEnv> = {
  name: 'correlator',
  env: CorrelatorEnv,
  module: (env) => AppModule.register(env),
};
