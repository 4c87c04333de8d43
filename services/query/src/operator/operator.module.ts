import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '@vigil/runtime';
import { CorrelatorRpc } from './correlator-rpc.service';

/**
 * What every operator capability shares: the correlator client with its error mapping, and the
 * write guard. Capability modules import it; their settings (the RPC timeout, the write token) come
 * from the root wiring under the tokens these classes declare (RPC_TIMEOUT_MS, ADMIN_TOKEN_SETTINGS).
 */
@Module({
  providers: [CorrelatorRpc, AdminTokenGuard],
  exports: [CorrelatorRpc, AdminTokenGuard],
})
export class OperatorModule {}
