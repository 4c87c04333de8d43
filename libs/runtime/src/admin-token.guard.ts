import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const ADMIN_TOKEN_SETTINGS = Symbol('ADMIN_TOKEN_SETTINGS');

export interface AdminTokenSettings {
  /** The bearer token operators present; unset means no token is configured. */
  token: string | undefined;
  /** The variable that sets it, named in every refusal. */
  variable: string;
  /**
   * Without a token: `disable` answers 404 (an API that mints credentials must not be open by
   * default); `allow` lets everyone through (a trusted network, a developer's machine) and says so
   * once at start-up.
   */
  whenUnset: 'disable' | 'allow';
}

/** Operators' APIs answer only to `Authorization: Bearer <token>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  /** Nest makes one guard per module that uses it; the warning is for the process. */
  private static warned = false;
  private readonly token: Buffer | undefined;

  constructor(@Inject(ADMIN_TOKEN_SETTINGS) private readonly options: AdminTokenSettings) {
    this.token = options.token ? Buffer.from(options.token) : undefined;
    if (!this.token && options.whenUnset === 'allow' && !AdminTokenGuard.warned) {
      AdminTokenGuard.warned = true;
      new Logger(AdminTokenGuard.name).warn(
        `${options.variable} is not set: the operators' API is open to whoever reaches this port`,
      );
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) {
      if (this.options.whenUnset === 'allow') return true;
      throw new NotFoundException(`this API is disabled: set ${this.options.variable}`);
    }
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const presented = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? '');
    if (presented.length !== this.token.length || !timingSafeEqual(presented, this.token)) {
      throw new UnauthorizedException(`this API needs "Authorization: Bearer <${this.options.variable}>"`);
    }
    return true;
  }
}
