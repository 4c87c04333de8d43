// What other folders may use of incidents/.
export { IncidentsModule } from './incidents.module';
export { INCIDENT_RULES_SETTINGS } from './incident-rules.reloader';
export type { IncidentRulesSettings } from './incident-rules.reloader';
