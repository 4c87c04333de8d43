import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AlertCommandReplyV1, RpcSubjects } from '@vigil/contracts';
import { CommandDocs } from '../operator/api-docs';
import { IDEMPOTENCY_KEY_HEADER, resolveCommandId } from '../operator/command-id';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';
import { OperatorWrite } from '../operator/operator-write.decorator';
import {
  AcknowledgeAlertBody,
  AddAlertNoteBody,
  AssignAlertBody,
  ChangeAlertSeverityBody,
  ResolveAlertBody,
  SnoozeAlertBody,
  UnacknowledgeAlertBody,
} from './dto/alert-command.dto';

type IdempotencyKey = string | string[] | undefined;

/**
 * Operator commands on one alert, forwarded to the correlator (which owns alerts). The body is the
 * command's contract without `alertId`, which is the path's; `commandId` is optional here.
 */
@ApiTags('alerts')
@Controller('api/v1/alerts')
export class AlertCommandsController {
  constructor(private readonly correlator: CorrelatorRpc) {}

  @Post(':id/acknowledge')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Acknowledge an open or snoozed alert (ends a snooze)', { reason: 'on it' })
  acknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AcknowledgeAlertBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertAcknowledge, request, request);
  }

  @Post(':id/unacknowledge')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Put an acknowledged alert back to open', {})
  unacknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UnacknowledgeAlertBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertUnacknowledge, request, request);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Assign the alert to a user (`assignee: null` unassigns)', { assignee: 'bob' })
  assign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AssignAlertBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertAssign, request, request);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Resolve an active alert', { reason: 'fixed the disk' })
  resolve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveAlertBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertResolve, request, request);
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Snooze an active alert until a time (`until`) or for `durationSeconds` (exactly one)', {
    durationSeconds: 3600,
  })
  snooze(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SnoozeAlertBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertSnooze, request, request);
  }

  @Post(':id/severity')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Change the severity (not to `cleared`: resolve instead)', { severity: 'critical' })
  changeSeverity(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ChangeAlertSeverityBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertChangeSeverity, request, request);
  }

  @Post(':id/notes')
  @HttpCode(200)
  @OperatorWrite()
  @CommandDocs('Add a note to the alert history (any status)', { text: 'vendor ticket 4711' })
  addNote(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AddAlertNoteBody,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: IdempotencyKey,
  ): Promise<AlertCommandReplyV1> {
    const request = command(id, body, key);
    return this.correlator.request(RpcSubjects.AlertAddNote, request, request);
  }
}

function command<B extends { commandId?: string }>(alertId: string, body: B, key: IdempotencyKey) {
  return { ...body, alertId, commandId: resolveCommandId(body.commandId, key) };
}
