import { Module } from '@nestjs/common';
import { ADMIN_TOKEN_SETTINGS, AdminTokenGuard, AdminTokenSettings } from '@vigil/runtime';
import { GateModule } from '../gate/gate.module';
import { IngestEnv } from '../ingest.env';
import { ApiKeysController } from './api-keys.controller';

@Module({
  imports: [GateModule],
  controllers: [ApiKeysController],
  providers: [
    {
      provide: ADMIN_TOKEN_SETTINGS,
      inject: [IngestEnv],
      // The admin API mints credentials: without a token it does not exist.
      useFactory: (env: IngestEnv): AdminTokenSettings => ({
        token: env.INGEST_ADMIN_TOKEN,
        variable: 'INGEST_ADMIN_TOKEN',
        whenUnset: 'disable',
      }),
    },
    AdminTokenGuard,
  ],
})
export class AdminModule {}
