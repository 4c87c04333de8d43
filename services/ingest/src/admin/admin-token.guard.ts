import {
  CanActivate,
  ExecutionContext,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { IngestEnv } from '../ingest.env';

/**
 * The admin API answers only to `Authorization: Bearer <INGEST_ADMIN_TOKEN>`; without a configured
 * token it does not exist (404), so a default deployment exposes no way to mint keys over HTTP.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly token: Buffer | undefined;

  constructor(env: IngestEnv) {
    this.token = env.INGEST_ADMIN_TOKEN ? Buffer.from(env.INGEST_ADMIN_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) throw new NotFoundException('the admin API is disabled: set INGEST_ADMIN_TOKEN');
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const presented = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? '');
    if (presented.length !== this.token.length || !timingSafeEqual(presented, this.token)) {
      throw new UnauthorizedException('the admin API needs "Authorization: Bearer <INGEST_ADMIN_TOKEN>"');
    }
    return true;
  }
}
