import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { QueryEnv } from './query.env';

export const queryService: ServiceDefinition<QueryEnv> = {
  name: 'query',
  env: QueryEnv,
  module: (env) => AppModule.register(env),
};
