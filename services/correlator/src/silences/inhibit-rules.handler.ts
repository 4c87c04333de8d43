import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateInhibitRuleV1,
  DeletedSilenceV1,
  DeleteSilenceV1,
  GetSilenceV1,
  InhibitRuleV1,
  ListSilencesV1,
  nameFilter,
  RpcSubjects,
  UpdateInhibitRuleV1,
} from '@vigil/contracts';
import { InvalidMessageError, RpcFailure } from '@vigil/messaging';
import { parseRuleDefinition } from './silence-rules';
import { SilencesRepository } from './silences.repository';
import { SilenceTimerService } from './silence-timer.service';
import type { InhibitRuleRow } from './silences.rows';

export function ruleView(row: InhibitRuleRow): InhibitRuleV1 {
  return {
    id: row.id,
    name: row.name,
    sourceMatchers: row.sourceMatchers,
    targetMatchers: row.targetMatchers,
    equal: row.equal,
    comment: row.comment,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Inhibition rules over NATS request/reply (`RpcSubjects.InhibitRule*`); matcher faults are named
 * by field (`sourceMatchers[0]`). A change asks for a reconcile at once: any replica then inhibits
 * or releases the firing alerts it concerns.
 */
@Controller()
export class InhibitRulesHandler {
  constructor(
    private readonly repository: SilencesRepository,
    private readonly timers: SilenceTimerService,
  ) {}

  @MessagePattern(RpcSubjects.InhibitRuleCreate)
  create(@Payload() request: CreateInhibitRuleV1): Promise<InhibitRuleV1> {
    return this.save(randomUUID(), request, request.actor);
  }

  @MessagePattern(RpcSubjects.InhibitRuleUpdate)
  update(@Payload() request: UpdateInhibitRuleV1): Promise<InhibitRuleV1> {
    return this.save(request.id, request, null);
  }

  @MessagePattern(RpcSubjects.InhibitRuleGet)
  async get(@Payload() request: GetSilenceV1): Promise<InhibitRuleV1> {
    const row = await this.repository.getRule(request.id);
    if (!row) throw new RpcFailure('not_found', `inhibition rule ${request.id} not found`);
    return ruleView(row);
  }

  @MessagePattern(RpcSubjects.InhibitRuleList)
  async list(@Payload() request: ListSilencesV1): Promise<InhibitRuleV1[]> {
    const { rules } = await this.repository.loadAll();
    return rules.filter(nameFilter(request)).map(ruleView);
  }

  @MessagePattern(RpcSubjects.InhibitRuleDelete)
  async delete(@Payload() request: DeleteSilenceV1): Promise<DeletedSilenceV1> {
    const deleted = await this.repository.deleteRule(request.id);
    if (!deleted) throw new RpcFailure('not_found', `inhibition rule ${request.id} not found`);
    await this.timers.refresh();
    return { id: request.id, deleted };
  }

  private async save(id: string, request: CreateInhibitRuleV1, actor: string | null): Promise<InhibitRuleV1> {
    const parsed = parseRuleDefinition(request);
    if (!parsed.ok) throw new InvalidMessageError(parsed.errors);
    const row = await this.repository.saveRule(
      id,
      {
        name: request.name,
        sourceMatchers: request.sourceMatchers,
        targetMatchers: request.targetMatchers,
        equal: request.equal,
        comment: request.comment ?? null,
      },
      actor,
    );
    if (!row) throw new RpcFailure('not_found', `inhibition rule ${id} not found`);
    await this.timers.refresh();
    return ruleView(row);
  }
}
