import { BaseEnv, SERVICE_PORTS } from '@vigil/config';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class NotifierEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.notifier;

  /** Webhook receivers of alert notifications, comma-separated. Empty: notify nobody (and log it). */
  @Matches(/^(https?:\/\/[^\s,]+)?(\s*,\s*https?:\/\/[^\s,]+)*$/, {
    message: 'must be a comma-separated list of http(s):// URLs',
  })
  NOTIFIER_WEBHOOK_URLS: string = '';

  @Max(60_000)
  @Min(100)
  @IsInt()
  NOTIFIER_WEBHOOK_TIMEOUT_MS: number = 5000;

  get webhookUrls(): string[] {
    return this.NOTIFIER_WEBHOOK_URLS.split(',')
      .map((url) => url.trim())
      .filter(Boolean);
  }
}
