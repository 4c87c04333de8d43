import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AcknowledgeIncidentV1,
  CreateIncidentRuleV1,
  DeleteIncidentRuleV1,
  GetIncidentRuleSetV1,
  GetIncidentRuleV1,
  Headers,
  IncidentCommandV1,
  ListIncidentRuleVersionsV1,
  ResolveIncidentV1,
  RollbackIncidentRulesV1,
  RpcSubjects,
  UnacknowledgeIncidentV1,
  UpdateIncidentRuleV1,
} from '@vigil/contracts';
import { NatsRequestContext } from '@vigil/messaging';
import type { IncidentCommand } from '../domain/incidents';
import { IncidentCommandService } from './incident-command.service';
import { IncidentRulesService } from './incident-rules.service';

/**
 * Incident commands and the correlation rules over NATS request/reply (`RpcSubjects.Incident*`).
 * Requests are validated against their contract class before they get here; rule definitions are
 * checked by domain/incidents, each fault named by its field (`rule.matchers[1]`).
 */
@Controller()
export class IncidentsHandler {
  constructor(
    private readonly commands: IncidentCommandService,
    private readonly rules: IncidentRulesService,
  ) {}

  @MessagePattern(RpcSubjects.IncidentAcknowledge)
  acknowledge(@Payload() request: AcknowledgeIncidentV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, 'acknowledge', context);
  }

  @MessagePattern(RpcSubjects.IncidentUnacknowledge)
  unacknowledge(@Payload() request: UnacknowledgeIncidentV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, 'unacknowledge', context);
  }

  @MessagePattern(RpcSubjects.IncidentResolve)
  resolve(@Payload() request: ResolveIncidentV1, @Ctx() context: NatsRequestContext) {
    return this.run(request, 'resolve', context);
  }

  @MessagePattern(RpcSubjects.IncidentRuleCreate)
  createRule(@Payload() request: CreateIncidentRuleV1) {
    return this.rules.create(request);
  }

  @MessagePattern(RpcSubjects.IncidentRuleGet)
  getRule(@Payload() request: GetIncidentRuleV1) {
    return this.rules.getRule(request.id);
  }

  @MessagePattern(RpcSubjects.IncidentRuleUpdate)
  updateRule(@Payload() request: UpdateIncidentRuleV1) {
    return this.rules.update(request);
  }

  @MessagePattern(RpcSubjects.IncidentRuleDelete)
  deleteRule(@Payload() request: DeleteIncidentRuleV1) {
    return this.rules.delete(request);
  }

  @MessagePattern(RpcSubjects.IncidentRuleSetGet)
  getRuleSet(@Payload() request: GetIncidentRuleSetV1) {
    return this.rules.getSet(request.version);
  }

  @MessagePattern(RpcSubjects.IncidentRuleSetVersions)
  versions(@Payload() request: ListIncidentRuleVersionsV1) {
    return this.rules.versions(request);
  }

  @MessagePattern(RpcSubjects.IncidentRuleSetRollback)
  rollback(@Payload() request: RollbackIncidentRulesV1) {
    return this.rules.rollback(request);
  }

  private run(request: IncidentCommandV1, command: IncidentCommand, context: NatsRequestContext) {
    const traceparent = context.header(Headers.TraceParent);
    return this.commands.execute(
      request,
      command,
      new Date(),
      traceparent ? { [Headers.TraceParent]: traceparent } : {},
    );
  }
}
