import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { ClassifierEnv } from './classifier.env';

export const classifierService: ServiceDefinition<ClassifierEnv> = {
  name: 'classifier',
  env: ClassifierEnv,
  module: (env) => AppModule.register(env),
};
