// What other folders may use of outbox/.
export { OutboxModule } from './outbox.module';
export { OUTBOX_SETTINGS, OutboxPoller } from './outbox.poller';
export type { OutboxSettings } from './outbox.poller';
export { insertOutbox, outboxInsert, outboxRecords } from './outbox.repository';
export { OutboxService } from './outbox.service';
export type { OutboxMessage } from './outbox.repository';
