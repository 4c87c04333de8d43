import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { IngestEnv } from './ingest.env';

export const ingestService: ServiceDefinition<IngestEnv> = {
  name: 'ingest',
  env: IngestEnv,
  module: (env) => AppModule.register(env),
  ownBodyParsers: true,
  configureHttp: (adapter, env) => {
    const fastify = adapter.getInstance();
    // Keep JSON bodies as bytes: ingest parses them itself to archive refused events verbatim.
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: env.INGEST_MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );
  },
};
