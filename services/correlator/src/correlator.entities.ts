import { AlertHistoryEntity } from './alerts/alert-history.entity';
import { AlertEntity } from './alerts/alert.entity';
import { EventOccurrenceEntity } from './alerts/event-occurrence.entity';
import { TimerEntity } from './alerts/timer.entity';
import { HeartbeatEntity } from './heartbeats/heartbeat.entity';
import { IncidentRuleSetVersionEntity } from './incidents/incident-rule-set-version.entity';
import { IncidentAlertEntity, IncidentEntity, IncidentHistoryEntity } from './incidents/incident.entity';
import { OutboxEntity } from './outbox/outbox.entity';
import { InhibitRuleEntity, MaintenanceWindowEntity, SilenceTimerEntity } from './silences/silences.entity';

/**
 * The tables the correlator owns (schema `correlator`; their migrations are in libs/persistence),
 * registered on its connection through `PersistenceModule.forRoot({ entities })`. Only the incident
 * rule versions go through TypeORM (`RuleSetStore`); the repositories write the others with prepared
 * SQL and use these classes as their row types.
 */
export const CORRELATOR_ENTITIES = [
  AlertEntity,
  AlertHistoryEntity,
  EventOccurrenceEntity,
  TimerEntity,
  MaintenanceWindowEntity,
  InhibitRuleEntity,
  SilenceTimerEntity,
  HeartbeatEntity,
  IncidentEntity,
  IncidentAlertEntity,
  IncidentHistoryEntity,
  IncidentRuleSetVersionEntity,
  OutboxEntity,
];
