import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { errorText } from '@vigil/messaging';
import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { IngestEnv } from './ingest.env';

export const INGEST_API_DOCS_PATH = 'api/docs';
const ADMIN_API_PREFIX = '/api/v1/admin/';

export const ingestService: ServiceDefinition<IngestEnv> = {
  name: 'ingest',
  env: IngestEnv,
  module: (env) => AppModule.register(env),
  ownBodyParsers: true,
  configureHttp: (adapter, env) => {
    const fastify = adapter.getInstance();
    // Every body stays bytes: ingest parses it itself, to archive refused events verbatim, to read
    // CloudEvents in binary mode whatever their content type, and to give JSON syntax errors the
    // same shape as validation errors. The limit is the batch one; single events check their own.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: env.INGEST_MAX_BATCH_BYTES },
      (request, body, done) => {
        if (!request.url.startsWith(ADMIN_API_PREFIX)) return done(null, body);
        // The admin API takes ordinary JSON bodies, validated against DTOs like any Nest API.
        try {
          done(null, body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined);
        } catch (error) {
          done(Object.assign(new Error(`invalid JSON body: ${errorText(error)}`), { statusCode: 400 }));
        }
      },
    );
  },
  configureApp: (app) => {
    const config = new DocumentBuilder()
      .setTitle('Vigil ingest')
      .setDescription(
        "Producers' events in Vigil's own format and the drop-in formats (CloudEvents, Alertmanager, PagerDuty Events v2, Panther). Every endpoint answers 202 only once JetStream has stored the event.",
      )
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'the API key' }, 'bearer')
      .build();
    SwaggerModule.setup(INGEST_API_DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
      jsonDocumentUrl: `${INGEST_API_DOCS_PATH}/openapi.json`,
    });
  },
};
