// What other folders may use of config/.
export { NotifierConfigModule } from './config.module';
export { NOTIFIER_CONFIG_SETTINGS } from './config.settings';
export type { NotifierConfigSettings } from './config.settings';
export { NotifierConfig } from './notifier-config';
export { contactByTarget, contactsFor } from './config-snapshot';
export type { ContactTarget, NotifierConfigSnapshot } from './config-snapshot';
export { feedTargetId, isFeedTarget } from './feed-targets';
export type { FeedSettings, FeedTarget } from './feed-targets';
