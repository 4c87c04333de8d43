import { Inject, Injectable } from '@nestjs/common';
import type { RpcReplyOf, RpcRequestOf, RpcSubject } from '@vigil/contracts';
import { RpcClient } from '@vigil/messaging';
import { httpErrorOf, RpcCallContext } from './rpc-http-error';

export const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');

/**
 * Requests to the correlator, which owns alerts, silences, incidents and their rules. A refusal or
 * an unreachable correlator becomes the HTTP answer that says so (400, 404, 409, 502, 503).
 */
@Injectable()
export class CorrelatorRpc {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async request<S extends RpcSubject>(
    subject: S,
    payload: RpcRequestOf<S>,
    context: Omit<RpcCallContext, 'timeoutMs'> = {},
  ): Promise<RpcReplyOf<S>> {
    try {
      return await this.rpc.request(subject, payload, { timeoutMs: this.timeoutMs });
    } catch (error) {
      throw httpErrorOf(error, { ...context, timeoutMs: this.timeoutMs }) ?? error;
    }
  }
}
