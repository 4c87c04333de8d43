import { ALERT_CHANGED_V1_SCHEMA } from './alerts/alert-changed.schema';
import { AlertChangedV1 } from './alerts/alert-changed.v1';
import { AcceptedEventV1 } from './events/accepted-event.v1';
import { ClassifiedEventV1 } from './events/classified-event.v1';
import { ACCEPTED_EVENT_V1_SCHEMA, CLASSIFIED_EVENT_V1_SCHEMA } from './events/pipeline-event.schema';
import { PRODUCER_EVENT_V1_SCHEMA } from './events/producer-event.schema';
import { ProducerEventV1 } from './events/producer-event.v1';
import { INCIDENT_CHANGED_V1_SCHEMA } from './incidents/incident-changed.schema';
import { IncidentChangedV1 } from './incidents/incident-changed.v1';
import { registerSchema } from './validation';

registerSchema(ProducerEventV1, PRODUCER_EVENT_V1_SCHEMA);
registerSchema(AcceptedEventV1, ACCEPTED_EVENT_V1_SCHEMA);
registerSchema(ClassifiedEventV1, CLASSIFIED_EVENT_V1_SCHEMA);
registerSchema(AlertChangedV1, ALERT_CHANGED_V1_SCHEMA);
registerSchema(IncidentChangedV1, INCIDENT_CHANGED_V1_SCHEMA);

export {
  ACCEPTED_EVENT_V1_SCHEMA,
  ALERT_CHANGED_V1_SCHEMA,
  CLASSIFIED_EVENT_V1_SCHEMA,
  INCIDENT_CHANGED_V1_SCHEMA,
  PRODUCER_EVENT_V1_SCHEMA,
};
