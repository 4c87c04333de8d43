import { AcknowledgeIncidentV1, ResolveIncidentV1, UnacknowledgeIncidentV1 } from '@vigil/contracts';
import { commandBody } from '../../operator/command-body';

export class AcknowledgeIncidentBody extends commandBody(AcknowledgeIncidentV1, 'incidentId') {}
export class UnacknowledgeIncidentBody extends commandBody(UnacknowledgeIncidentV1, 'incidentId') {}
export class ResolveIncidentBody extends commandBody(ResolveIncidentV1, 'incidentId') {}
