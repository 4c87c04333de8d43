import { Injectable } from '@nestjs/common';
import type { RpcReplyOf, RpcRequestOf, RpcSubject } from '@vigil/contracts';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';

/**
 * Requests to the notifier, which owns its configuration: the same client, timeout and error
 * mapping as the correlator's (400, 404, 409, 502, 503), with messages that name the notifier.
 */
@Injectable()
export class NotifierRpc {
  constructor(private readonly rpc: CorrelatorRpc) {}

  request<S extends RpcSubject>(subject: S, payload: RpcRequestOf<S>): Promise<RpcReplyOf<S>> {
    return this.rpc.request(subject, payload, { service: 'notifier' });
  }
}
