// class-transformer's @Type and design-type metadata need the Reflect API wherever contracts load.
import 'reflect-metadata';

export * from './alerts/alert-changed.v1';
export * from './alerts/alert-commands.v1';
export * from './alerts/heartbeats.v1';
export * from './alerts/silences.v1';
export * from './category';
export * from './decorators';
export * from './events/accepted-event.v1';
export * from './events/classified-event.v1';
export * from './events/dead-letter.v1';
export * from './events/original-bytes';
export * from './events/producer-event.v1';
export * from './events/rejected-event.v1';
export * from './incidents/incident-changed.v1';
export * from './incidents/incident-commands.v1';
export * from './incidents/incident-rules.v1';
export * from './limits';
export * from './messaging/broadcasts';
export * from './messaging/rpc';
export * from './messaging/streams';
export * from './messaging/subjects';
export * from './schema-parts';
export * from './schemas';
export * from './severity';
export * from './timestamp';
export * from './validation';
