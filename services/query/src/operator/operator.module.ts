import { DynamicModule, Module } from '@nestjs/common';
import { ADMIN_TOKEN_OPTIONS, AdminTokenGuard, AdminTokenOptions } from '@vigil/runtime';
import type { QueryEnv } from '../query.env';
import { CorrelatorRpc, RPC_TIMEOUT_MS } from './correlator-rpc.service';

/**
 * What every operator capability shares: the correlator client with its error mapping, and the
 * write guard's token. Global, so each capability module stays a controller and its imports.
 */
@Module({})
export class OperatorModule {
  static register(env: QueryEnv): DynamicModule {
    return {
      module: OperatorModule,
      global: true,
      providers: [
        { provide: RPC_TIMEOUT_MS, useValue: env.QUERY_RPC_TIMEOUT_MS },
        CorrelatorRpc,
        {
          provide: ADMIN_TOKEN_OPTIONS,
          // Reads stay open as they always were; without a token, writes are open too (with a warning).
          useValue: {
            token: env.QUERY_OPERATOR_TOKEN,
            variable: 'QUERY_OPERATOR_TOKEN',
            whenUnset: 'allow',
          } satisfies AdminTokenOptions,
        },
        AdminTokenGuard,
      ],
      exports: [CorrelatorRpc, ADMIN_TOKEN_OPTIONS, AdminTokenGuard],
    };
  }
}
