// What other folders may use of paging/.
export { PagingModule } from './paging.module';
export { PAGING_SETTINGS } from './paging.settings';
export type { LinkSettings, PagingSettings } from './paging.settings';
export { PagingService } from './paging.service';
export { EscalationPoller } from './escalation.poller';
export { alertSubjectChange, incidentSubjectChange } from './subject';
export type { SubjectChange } from './subject';
