import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { NotifierEnv } from './notifier.env';

export const notifierService: ServiceDefinition<NotifierEnv> = {
  name: 'notifier',
  env: NotifierEnv,
  module: (env) => AppModule.register(env),
};
