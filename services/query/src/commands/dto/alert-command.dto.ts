import {
  AcknowledgeAlertV1,
  AddAlertNoteV1,
  AssignAlertV1,
  ChangeAlertSeverityV1,
  ResolveAlertV1,
  SnoozeAlertV1,
  UnacknowledgeAlertV1,
} from '@vigil/contracts';
import { commandBody } from '../../operator/command-body';

export class AcknowledgeAlertBody extends commandBody(AcknowledgeAlertV1, 'alertId') {}
export class UnacknowledgeAlertBody extends commandBody(UnacknowledgeAlertV1, 'alertId') {}
export class AssignAlertBody extends commandBody(AssignAlertV1, 'alertId') {}
export class ResolveAlertBody extends commandBody(ResolveAlertV1, 'alertId') {}
export class SnoozeAlertBody extends commandBody(SnoozeAlertV1, 'alertId') {}
export class ChangeAlertSeverityBody extends commandBody(ChangeAlertSeverityV1, 'alertId') {}
export class AddAlertNoteBody extends commandBody(AddAlertNoteV1, 'alertId') {}
