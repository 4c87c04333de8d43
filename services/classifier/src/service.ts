import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { ClassifierEnv } from './classifier.env';
import { fieldErrorsException } from './http/errors';
import { TEXT_CONTENT_TYPES } from './http/request-body';

export const classifierService: ServiceDefinition<ClassifierEnv> = {
  name: 'classifier',
  env: ClassifierEnv,
  module: (env) => AppModule.register(env),
  ownBodyParsers: true,
  configureHttp: (adapter, env) => {
    const fastify = adapter.getInstance();
    const bodyLimit = env.CLASSIFIER_MAX_BODY_BYTES;
    // Rule sets are written by hand in YAML and lookup tables exported as CSV: operators send them
    // as they are (`curl --data-binary @rules.yml -H 'content-type: application/yaml'`), and line
    // numbers in errors then point into their own file. Such bodies reach controllers as strings.
    fastify.addContentTypeParser(
      TEXT_CONTENT_TYPES,
      { parseAs: 'string', bodyLimit },
      (_request, body, done) => done(null, body),
    );
    // JSON keeps Fastify's parser (with its prototype-poisoning checks), under the same limit; its
    // refusal becomes an error in the API's shape.
    const parseJson = fastify.getDefaultJsonParser('error', 'error');
    fastify.addContentTypeParser<string>(
      'application/json',
      { parseAs: 'string', bodyLimit },
      (request, body, done) =>
        parseJson(request, body, (error, value) => {
          if (!error) return done(null, value);
          done(fieldErrorsException('invalid JSON body', [{ field: '$', reason: error.message }]));
        }),
    );
  },
  // Every refusal of the rules API has one shape, `{statusCode, error, message, errors}`.
  httpErrors: { uniformBodies: true },
};
