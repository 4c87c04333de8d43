import { Injectable } from '@nestjs/common';
import { ApiKeyInfo, ApiKeyStore } from '@vigil/persistence';
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
  readonly store: ApiKeyStore;
  private readonly cache = new Map<string, Cached>();

  constructor(dataSource: DataSource) {
    this.store = new ApiKeyStore(dataSource);
  }

  async verify(presented: string, now = Date.now()): Promise<ApiKeyInfo | undefined> {
    const cached = this.cache.get(presented);
    if (cached && cached.expiresAt > now) return cached.key;
    const key = await this.store.verify(presented);
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
