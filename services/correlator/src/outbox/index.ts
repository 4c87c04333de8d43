// What other folders may use of outbox/.
export { OutboxModule } from './outbox.module';
export { OUTBOX_OPTIONS, OutboxPoller } from './outbox.poller';
export type { OutboxOptions } from './outbox.poller';
export { insertOutbox } from './outbox.repository';
export type { OutboxMessage } from './outbox.repository';
