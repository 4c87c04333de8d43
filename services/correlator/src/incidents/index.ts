// What other folders may use of incidents/.
export { IncidentsModule } from './incidents.module';
export { INCIDENT_RULES_OPTIONS } from './incident-rules.reloader';
export type { IncidentRulesOptions } from './incident-rules.reloader';
