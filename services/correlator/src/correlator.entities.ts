import { IncidentRuleSetVersionEntity } from './incidents/incident-rule-set-version.entity';

/**
 * What TypeORM maps of the correlator's tables (schema `correlator`; their migrations are in
 * libs/persistence), registered on its connection through `PersistenceModule.forRoot({ entities })`:
 * only the incident rule versions, read and written through the shared `RuleSetRepository`. The
 * repositories read and write the other tables with prepared SQL (`SqlPool`); their row types are in
 * each folder's `*.rows.ts`.
 */
export const CORRELATOR_ENTITIES = [IncidentRuleSetVersionEntity];
