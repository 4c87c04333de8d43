import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IncidentCommandReplyV1, RpcSubjects } from '@vigil/contracts';
import { CommandDocs } from '../operator/api-docs';
import { IDEMPOTENCY_KEY_HEADER, resolveCommandId } from '../operator/command-id';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';
import { OperatorWrite } from '../operator/operator-write.decorator';
import {
  AcknowledgeIncidentBody,
  ResolveIncidentBody,
  UnacknowledgeIncidentBody,
} from './dto/incident-command.dto';

type IdempotencyKey = string | string[] | undefined;

/** Operator commands on one incident, forwarded to the correlator; as the alert commands. */
@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentCommandsController {
  constructor(private readonly correlator: CorrelatorRpc) {}

  @Post(':id/acknowledge')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Acknowledge an incident (stops its escalation; its alerts keep their states)', {
    reason: 'on it',
  })
  acknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AcknowledgeIncidentBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<IncidentCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.IncidentAcknowledge, request, request);
  }

  @Post(':id/unacknowledge')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Put an acknowledged incident back to open', {})
  unacknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UnacknowledgeIncidentBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<IncidentCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.IncidentUnacknowledge, request, request);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Resolve an incident (final: later alerts of its group start a new one)', {
    reason: 'root cause fixed',
  })
  resolve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveIncidentBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<IncidentCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.IncidentResolve, request, request);
  }
}

function command<B extends { commandId?: string }>(incidentId: string, body: B, key: IdempotencyKey) {
  return { ...body, incidentId, commandId: resolveCommandId(body.commandId, key) };
}
