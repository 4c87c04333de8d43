import { IsString, Matches } from 'class-validator';
import { OperatorCommandV1 } from '../alerts/alert-commands.v1';
import { UUID_PATTERN } from '../limits';
import type { IncidentChange, IncidentStatus } from './incident-changed.v1';

export abstract class IncidentCommandV1 extends OperatorCommandV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  incidentId!: string;
}

/** Acknowledging an incident stops its escalation; its alerts keep their own states. */
export class AcknowledgeIncidentV1 extends IncidentCommandV1 {}

export class UnacknowledgeIncidentV1 extends IncidentCommandV1 {}

/** Resolving an incident by hand is final: alerts of its group that fire later start a new incident. */
export class ResolveIncidentV1 extends IncidentCommandV1 {}

/** As `AlertCommandReplyV1`, for an incident. */
export interface IncidentCommandReplyV1 {
  incidentId: string;
  commandId: string;
  changed: boolean;
  replayed: boolean;
  change: IncidentChange | null;
  sequence: number;
  status: IncidentStatus;
}
