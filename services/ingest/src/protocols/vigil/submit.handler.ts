import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Headers, RpcReplyOf, RpcSubjects } from '@vigil/contracts';
import { NatsRequestContext } from '@vigil/messaging';
import { IngestService } from '../../events/ingest.service';

const encoder = new TextEncoder();

/** Request/reply submission: the producer learns at once the event id or why it was refused. */
@Controller()
export class SubmitEventHandler {
  constructor(private readonly ingest: IngestService) {}

  @MessagePattern(RpcSubjects.IngestSubmit)
  async submit(
    @Payload() body: unknown,
    @Ctx() context: NatsRequestContext,
  ): Promise<RpcReplyOf<typeof RpcSubjects.IngestSubmit>> {
    const outcome = await this.ingest.ingest({
      // Re-encoded: the transport already parsed the request, and its bytes are what we keep.
      bytes: encoder.encode(JSON.stringify(body)),
      via: 'rpc',
      receivedAt: new Date(),
      producerIdFallback: context.header(Headers.MsgId),
      traceparent: context.header(Headers.TraceParent),
    });
    return outcome.accepted ? outcome : { accepted: false, errors: outcome.errors };
  }
}
