import { Injectable } from '@nestjs/common';
import { ApiKeyInfo, ApiKeyRepository } from '@vigil/persistence';
import { DataSource } from 'typeorm';

const VALID_TTL_MS = 30_000;
const INVALID_TTL_MS = 5_000;
const MAX_CACHED = 10_000;

interface Cached {
  key: ApiKeyInfo | undefined;
  expiresAt: number;
}

/**
 * Verifies presented API keys against Postgres, remembering answers briefly so a busy producer
 * costs no query per request. A key revoked through this replica stops working at once; on the
 * others within 30 s (the valid-answer lifetime).
 */
@Injectable()
export class ApiKeyAuthenticator {
  readonly keys: ApiKeyRepository;
  private readonly cache = new Map<string, Cached>();

  constructor(dataSource: DataSource) {
    this.keys = new ApiKeyRepository(dataSource);
  }

  async verify(presented: string, now = Date.now()): Promise<ApiKeyInfo | undefined> {
    const cached = this.cache.get(presented);
    if (cached && cached.expiresAt > now) return cached.key;
    const key = await this.keys.verify(presented);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(presented, { key, expiresAt: now + (key ? VALID_TTL_MS : INVALID_TTL_MS) });
    return key;
  }

  forget(id: string): void {
    for (const [presented, cached] of this.cache) {
      if (cached.key?.id === id) this.cache.delete(presented);
    }
  }
}
