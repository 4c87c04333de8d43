import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ServiceDefinition } from '@vigil/runtime';
import { AppModule } from './app.module';
import { OPERATOR_AUTH } from './operator/operator-write.decorator';
import { QueryEnv } from './query.env';

export const QUERY_API_DOCS_PATH = 'api/docs';

export const queryService: ServiceDefinition<QueryEnv> = {
  name: 'query',
  env: QueryEnv,
  module: (env) => AppModule.register(env),
  configureApp: (app) => {
    const config = new DocumentBuilder()
      .setTitle('Vigil query')
      .setDescription(
        "The operators' API: alerts and incidents read from Postgres; commands, maintenance windows, inhibition rules and correlation rules forwarded to the correlator. Writes need `Authorization: Bearer <QUERY_OPERATOR_TOKEN>` when that variable is set. Errors: 400 `{message, errors: [{field, reason}]}`, 404, 409 (refused in the current state), 502 (the correlator failed), 503 with Retry-After (the correlator did not answer).",
      )
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'QUERY_OPERATOR_TOKEN' }, OPERATOR_AUTH)
      .build();
    SwaggerModule.setup(QUERY_API_DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
      jsonDocumentUrl: `${QUERY_API_DOCS_PATH}/openapi.json`,
    });
  },
};
