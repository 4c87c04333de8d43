import { BaseEnv, Secret, SERVICE_PORTS } from '@vigil/config';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class NotifierEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.notifier;

  /**
   * The transition feed: receivers of every notified alert transition, comma-separated, each a
   * webhook target of the delivery log. Empty: no feed (logged at start).
   */
  @Matches(/^(https?:\/\/[^\s,]+)?(\s*,\s*https?:\/\/[^\s,]+)*$/, {
    message: 'must be a comma-separated list of http(s):// URLs',
  })
  @Secret()
  NOTIFIER_WEBHOOK_URLS: string = '';

  /**
   * Signs the feed's webhooks as the webhook channel signs (`Vigil-Signature`): the secret, and
   * while rotating, after a comma, the previous one (both sign). Empty: the feed is not signed.
   */
  @Matches(/^([^,\s]{16,512})?(\s*,\s*[^,\s]{16,512})?$/, {
    message: 'must be a secret of 16-512 characters, optionally followed by a comma and the previous one',
  })
  @Secret()
  NOTIFIER_WEBHOOK_SECRETS: string = '';

  /** How long a feed receiver may take to answer (each attempt). */
  @Max(60_000)
  @Min(100)
  @IsInt()
  NOTIFIER_WEBHOOK_TIMEOUT_MS: number = 5000;

  /**
   * How often each replica checks whether the configuration (users, channels, schedules, policies,
   * routing tree) changed, in case it missed the broadcast a save sends.
   */
  @Max(600_000)
  @Min(100)
  @IsInt()
  NOTIFIER_CONFIG_POLL_INTERVAL_MS: number = 5000;

  /**
   * How long a test notification waits for each receiver. Below the query service's
   * QUERY_RPC_TIMEOUT_MS (5000), so the operator gets every result rather than a 503.
   */
  @Max(60_000)
  @Min(100)
  @IsInt()
  NOTIFIER_TEST_SEND_TIMEOUT_MS: number = 4000;

  /**
   * Where people's browsers reach this service's `/actions/<token>` (behind the ingress), for the
   * acknowledge and resolve links in notifications. Empty: notifications carry no action links.
   */
  @Matches(/^(https?:\/\/\S+)?$/, { message: 'must be an http(s):// URL' })
  NOTIFIER_PUBLIC_URL: string = '';

  /** The console's base URL, for the "open in console" link. Empty: no such link. */
  @Matches(/^(https?:\/\/\S+)?$/, { message: 'must be an http(s):// URL' })
  NOTIFIER_CONSOLE_URL: string = '';

  /**
   * Keys of the action links, comma-separated, each at least 32 characters: links are signed with
   * the first and accepted with any, so a key can be rotated in without breaking links in flight.
   */
  @Matches(/^([^,\s]{32,})?(\s*,\s*[^,\s]{32,})*$/, {
    message: 'must be comma-separated secrets of at least 32 characters each',
  })
  @Secret()
  NOTIFIER_ACTION_LINK_SECRETS: string = '';

  /** How long an action link works after its notification was queued. */
  @Max(30 * 24 * 3600)
  @Min(60)
  @IsInt()
  NOTIFIER_ACTION_LINK_TTL_SECONDS: number = 24 * 3600;

  /** How often each replica looks for due escalation steps (new pages are handled at once anyway). */
  @Max(60_000)
  @Min(50)
  @IsInt()
  NOTIFIER_STEP_POLL_INTERVAL_MS: number = 1000;

  /** How often each replica looks for deliveries due (retries, rate-limited sends). */
  @Max(60_000)
  @Min(50)
  @IsInt()
  NOTIFIER_DELIVERY_POLL_INTERVAL_MS: number = 1000;

  /** Attempts per delivery before it fails for good (and a NotificationFailedV1 is published). */
  @Max(50)
  @Min(1)
  @IsInt()
  NOTIFIER_DELIVERY_MAX_ATTEMPTS: number = 6;

  /** The first retry's delay; it doubles per attempt (jittered), up to NOTIFIER_RETRY_MAX_MS. */
  @Max(600_000)
  @Min(10)
  @IsInt()
  NOTIFIER_RETRY_BASE_MS: number = 2000;

  @Max(3_600_000)
  @Min(10)
  @IsInt()
  NOTIFIER_RETRY_MAX_MS: number = 300_000;

  get actionLinkSecrets(): string[] {
    return this.NOTIFIER_ACTION_LINK_SECRETS.split(',')
      .map((secret) => secret.trim())
      .filter(Boolean);
  }

  get webhookSecrets(): string[] {
    return this.NOTIFIER_WEBHOOK_SECRETS.split(',')
      .map((secret) => secret.trim())
      .filter(Boolean);
  }

  get webhookUrls(): string[] {
    return this.NOTIFIER_WEBHOOK_URLS.split(',')
      .map((url) => url.trim())
      .filter(Boolean);
  }
}
