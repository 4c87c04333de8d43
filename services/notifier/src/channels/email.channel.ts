import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { createTransport } from 'nodemailer';
import type { NodemailerError } from 'nodemailer/lib/errors';
import {
  buildMessage,
  ChannelAdapter,
  DeliveryError,
  DeliveryResult,
  parseChannelConfig,
  SendOptions,
} from './channel-adapter';
import { DEFAULT_TEMPLATES } from './default-templates';
import type { Notification } from './notification';
import { IsTemplate, renderTemplate } from './templates';

export const EMAIL_TLS_MODES = ['starttls', 'implicit', 'none'] as const;
export type EmailTlsMode = (typeof EMAIL_TLS_MODES)[number];

export class EmailChannelConfig {
  /** The SMTP server (a relay or submission server). */
  @Length(1, 255)
  @IsString()
  host!: string;

  @Max(65_535)
  @Min(1)
  @IsInt()
  port: number = 587;

  /**
   * `starttls` (default): plain connection upgraded with STARTTLS, refused if the server cannot;
   * `implicit`: TLS from the first byte (port 465); `none`: no TLS at all, only for a relay on the
   * same host or network, and never with credentials.
   */
  @IsIn(EMAIL_TLS_MODES)
  tls: EmailTlsMode = 'starttls';

  /** Whether the server's certificate must be valid for `host` (or `tlsServername`). */
  @IsBoolean()
  tlsRejectUnauthorized: boolean = true;

  /** The name the certificate must carry, when `host` is an IP or an alias. */
  @IsOptional()
  @Length(1, 255)
  @IsString()
  tlsServername?: string;

  /** PEM certificate(s) of a private CA that signed the server's certificate. */
  @IsOptional()
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: '$property must be PEM certificates' })
  @IsString()
  tlsCa?: string;

  @ValidateIf((config: EmailChannelConfig) => config.username !== undefined || config.password !== undefined)
  @NotInClearText()
  @Length(1, 255)
  @IsString()
  username?: string;

  @ValidateIf((config: EmailChannelConfig) => config.username !== undefined || config.password !== undefined)
  @Length(1, 1024)
  @IsString()
  password?: string;

  /** The sender address (From and envelope sender). */
  @IsEmail({}, { message: '$property must be an email address' })
  @IsString()
  from!: string;

  @IsOptional()
  @Matches(/^[^\r\n<>"]*$/, { message: '$property must be one line without <, > or quotes' })
  @Length(1, 128)
  @IsString()
  fromName?: string;

  @IsEmail({}, { each: true, message: '$property must contain only email addresses' })
  @ArrayMaxSize(50)
  @ArrayMinSize(1)
  @IsArray()
  to!: string[];

  @IsTemplate('text')
  subjectTemplate: string = DEFAULT_TEMPLATES.email.subject;

  @IsTemplate('text')
  textTemplate: string = DEFAULT_TEMPLATES.email.text;

  /** HTML part: every `{{value}}` is HTML-escaped; `{{{raw}}}` is refused. */
  @IsTemplate('html')
  htmlTemplate: string = DEFAULT_TEMPLATES.email.html;

  /** For connecting, the greeting, each reply, and the whole delivery. */
  @Max(120_000)
  @Min(100)
  @IsInt()
  timeoutMs: number = 10_000;
}

/** Credentials need TLS: with `tls: none` they would cross the network readable. */
function NotInClearText(): PropertyDecorator {
  return ValidateBy({
    name: 'notInClearText',
    validator: {
      validate: (_value: unknown, args) => (args?.object as EmailChannelConfig | undefined)?.tls !== 'none',
      defaultMessage: (args) =>
        `${args?.property ?? 'username'} needs tls "starttls" or "implicit": credentials are not sent in clear text`,
    },
  });
}

export const EMAIL_LIMITS = { subject: 250 } as const;

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export function emailMessage(config: EmailChannelConfig, notification: Notification): EmailMessage {
  return {
    // One line: a line break in a subject would end the header.
    subject:
      renderTemplate(config.subjectTemplate, 'text', notification, {
        singleLine: true,
        maxLength: EMAIL_LIMITS.subject,
      }) || 'Vigil notification',
    text: renderTemplate(config.textTemplate, 'text', notification),
    html: renderTemplate(config.htmlTemplate, 'html', notification),
  };
}

/** A Message-ID-shaped reference per alert or incident, so mail clients thread its notifications. */
function threadId(notification: Notification, from: string): string {
  const domain = from.split('@')[1] ?? 'vigil.invalid';
  const id = `${notification.subject.kind}.${notification.subject.id}`.replace(/[^A-Za-z0-9.-]/g, '-');
  return `<${id}@${domain}>`;
}

/** Connection-level failures nodemailer reports without an SMTP reply; all may pass later. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EABORT']);

function smtpFailure(error: unknown): DeliveryError {
  const mailError = error as NodemailerError;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof mailError.responseCode === 'number') {
    // nodemailer reads the reply class for us: 5xx (but 503) is permanent, 4xx is transient.
    const retryable = mailError.permanent === false;
    return new DeliveryError('email', 'rejected', `SMTP server refused: ${text}`, {
      retryable,
      status: mailError.responseCode,
      cause: error,
    });
  }
  if (mailError.code === 'ETIMEDOUT' || mailError.code === 'EABORT') {
    return new DeliveryError('email', 'timeout', `no answer in time: ${text}`, {
      retryable: true,
      cause: error,
    });
  }
  if (mailError.code && TRANSIENT_CODES.has(mailError.code)) {
    return new DeliveryError('email', 'connection', text, { retryable: true, cause: error });
  }
  // TLS that cannot be had, missing credentials, a refused configuration: the same next time.
  return new DeliveryError('email', 'invalid', `${mailError.code ?? 'error'}: ${text}`, {
    retryable: false,
    cause: error,
  });
}

/** Email over SMTP with nodemailer: a text and an HTML part from templates. */
export class EmailChannel implements ChannelAdapter<EmailChannelConfig> {
  readonly kind = 'email' as const;

  parseConfig(input: unknown): EmailChannelConfig {
    return parseChannelConfig(this.kind, EmailChannelConfig, input);
  }

  describe(config: EmailChannelConfig): string {
    return `email smtp://${config.host}:${config.port} to ${config.to.join(', ')}`;
  }

  async send(
    config: EmailChannelConfig,
    notification: Notification,
    options: SendOptions = {},
  ): Promise<DeliveryResult> {
    const message = buildMessage(this.kind, () => emailMessage(config, notification));
    // One connection per message: notifications are rare, and a pool per target would outlive its config.
    const transport = createTransport({
      host: config.host,
      port: config.port,
      secure: config.tls === 'implicit',
      requireTLS: config.tls === 'starttls',
      ignoreTLS: config.tls === 'none',
      auth: config.username ? { user: config.username, pass: config.password } : undefined,
      tls: {
        rejectUnauthorized: config.tlsRejectUnauthorized,
        minVersion: 'TLSv1.2',
        ...(config.tlsServername ? { servername: config.tlsServername } : {}),
        ...(config.tlsCa ? { ca: config.tlsCa } : {}),
      },
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
      dnsTimeout: config.timeoutMs,
      // Templates make no attachments; refuse anything that would read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const deadline = AbortSignal.timeout(config.timeoutMs);
    const thread = threadId(notification, config.from);
    try {
      const info = await transport.sendMail({
        from: { name: config.fromName ?? 'Vigil', address: config.from },
        to: config.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        references: thread,
        headers: {
          // RFC 3834: out-of-office replies and auto-responders stay quiet.
          'Auto-Submitted': 'auto-generated',
          'X-Vigil-Notification-Id': notification.id,
          'X-Vigil-Kind': notification.kind,
        },
        signal: options.signal ? AbortSignal.any([deadline, options.signal]) : deadline,
      });
      const rejected = (info.rejected ?? []).map(String);
      return {
        ok: true,
        status: Number(/^\d{3}/.exec(info.response ?? '')?.[0] ?? 250),
        messageId: info.messageId,
        ...(rejected.length ? { warnings: [`recipients refused: ${rejected.join(', ')}`] } : {}),
      };
    } catch (error) {
      throw smtpFailure(error);
    } finally {
      transport.close();
    }
  }
}
