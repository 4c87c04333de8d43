import { createHash } from 'node:crypto';
import { WebhookChannelConfig, WebhookTarget } from '../channels';

const FEED_PREFIX = 'feed:';

/** The transition feed's receivers, from the environment. */
export interface FeedSettings {
  /** `NOTIFIER_WEBHOOK_URLS`. URLs may carry credentials: never logged or stored. */
  urls: readonly string[];
  /** `NOTIFIER_WEBHOOK_SECRETS`: the signing secret, then the previous one while rotating. Empty: unsigned. */
  secrets: readonly string[];
  /** `NOTIFIER_WEBHOOK_TIMEOUT_MS`. */
  timeoutMs: number;
}

/** A feed URL as a delivery target: the webhook channel with the URL and the feed's secrets. */
export interface FeedTarget {
  /** `feed:<id>`: what the delivery log, metrics and failure events name (never the URL). */
  target: string;
  channelType: 'webhook';
  config: WebhookTarget;
  /** None, as for any webhook by default: an integration feed takes a storm at full speed. */
  rateLimitPerMinute: null;
}

/** Identifies a feed URL without storing or showing it (it may carry a token). */
export function feedTargetId(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

export function isFeedTarget(target: string): boolean {
  return target.startsWith(FEED_PREFIX);
}

export function feedTargets(settings: FeedSettings): FeedTarget[] {
  const [secret, previousSecret] = settings.secrets;
  const targets = new Map<string, FeedTarget>();
  for (const url of settings.urls) {
    const target = `${FEED_PREFIX}${feedTargetId(url)}`;
    targets.set(target, {
      target,
      channelType: 'webhook',
      config: {
        // The templates' defaults; a feed body uses none of them.
        ...new WebhookChannelConfig(),
        url,
        timeoutMs: settings.timeoutMs,
        ...(secret ? { secret } : {}),
        ...(previousSecret ? { previousSecret } : {}),
      },
      rateLimitPerMinute: null,
    });
  }
  return [...targets.values()];
}
