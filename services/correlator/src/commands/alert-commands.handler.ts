import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AcknowledgeAlertV1,
  AddAlertNoteV1,
  AlertCommandReplyV1,
  AlertCommandV1,
  AssignAlertV1,
  ChangeAlertSeverityV1,
  FindAlertByFingerprintV1,
  FoundAlertV1,
  Headers,
  ResolveAlertV1,
  RpcSubjects,
  SnoozeAlertV1,
  UnacknowledgeAlertV1,
} from '@vigil/contracts';
import { InvalidMessageError, NatsRequestContext, RpcFailure } from '@vigil/messaging';
import { CorrelationService } from '../alerts';
import type { AlertCommand } from '../alerts';
import { CommandService } from './command.service';

/**
 * Operator commands over NATS request/reply (`RpcSubjects.Alert*`), answered in the correlator's
 * queue group. Requests are validated against their contract class before they get here (an
 * `invalid_request` reply names the field); a refusal is a `conflict` or `not_found` reply.
 */
@Controller()
export class AlertCommandsHandler {
  constructor(
    private readonly commands: CommandService,
    private readonly correlation: CorrelationService,
  ) {}

  /** Lets a producer's own key (a PagerDuty dedup_key's fingerprint) reach the alert it made. */
  @MessagePattern(RpcSubjects.AlertFindByFingerprint)
  async findByFingerprint(@Payload() request: FindAlertByFingerprintV1): Promise<FoundAlertV1> {
    const alert = await this.correlation.findLive(request.fingerprint);
    if (!alert)
      throw new RpcFailure('not_found', `no live alert has the fingerprint "${request.fingerprint}"`);
    return { alertId: alert.id, status: alert.status };
  }

  @MessagePattern(RpcSubjects.AlertAcknowledge)
  acknowledge(@Payload() request: AcknowledgeAlertV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, { kind: 'acknowledge' }, context);
  }

  @MessagePattern(RpcSubjects.AlertUnacknowledge)
  unacknowledge(@Payload() request: UnacknowledgeAlertV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, { kind: 'unacknowledge' }, context);
  }

  @MessagePattern(RpcSubjects.AlertAssign)
  assign(@Payload() request: AssignAlertV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, { kind: 'assign', assignee: request.assignee }, context);
  }

  @MessagePattern(RpcSubjects.AlertResolve)
  resolve(@Payload() request: ResolveAlertV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, { kind: 'resolve' }, context);
  }

  @MessagePattern(RpcSubjects.AlertSnooze)
  async snooze(@Payload() request: SnoozeAlertV1, @Ctx() context: NatsRequestContext) {
    const receivedAt = new Date();
    const until =
      request.until !== undefined && request.until !== null
        ? new Date(request.until)
        : new Date(receivedAt.getTime() + (request.durationSeconds ?? 0) * 1000);
    // The contract cannot know the clock: a time in the past is still the caller's mistake.
    if (until <= receivedAt) {
      throw new InvalidMessageError([
        { field: 'until', reason: `must be in the future (got ${request.until})` },
      ]);
    }
    return this.run(request, { kind: 'snooze', until }, context, receivedAt);
  }

  @MessagePattern(RpcSubjects.AlertChangeSeverity)
  changeSeverity(@Payload() request: ChangeAlertSeverityV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, { kind: 'change_severity', severity: request.severity }, context);
  }

  @MessagePattern(RpcSubjects.AlertAddNote)
  addNote(@Payload() request: AddAlertNoteV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, { kind: 'add_note', text: request.text }, context);
  }

  private run(
    request: AlertCommandV1,
    command: AlertCommand,
    context: NatsRequestContext,
    receivedAt = new Date(),
  ): Promise<AlertCommandReplyV1> {
    const traceparent = context.header(Headers.TraceParent);
    return this.commands.execute(
      request,
      command,
      receivedAt,
      traceparent ? { [Headers.TraceParent]: traceparent } : {},
    );
  }
}
