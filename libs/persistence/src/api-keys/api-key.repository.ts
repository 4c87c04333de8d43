import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, type DataSource, type Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

const KEY_PREFIX = 'vk_';
const KEY_PATTERN = /^vk_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/;

/** What is shown about a key: everything but its secret. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  sources: string[];
  ratePerSecond: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface NewApiKey {
  name: string;
  sources: string[];
  ratePerSecond?: number | null;
}

/** A freshly created key: `key` is the only time the secret exists outside the producer. */
export interface CreatedApiKey extends ApiKeyInfo {
  key: string;
}

/** The two parts of a presented key, or undefined when it is not shaped like one of ours. */
export function parseApiKey(presented: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(presented.trim());
  return match ? { id: match[1], secret: match[2] } : undefined;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time, so response timing tells an attacker nothing about how close a guess was. */
export function secretMatches(secret: string, hash: Buffer): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

export function generateApiKey(): { id: string; secret: string; key: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  return { id, secret, key: `${KEY_PREFIX}${id}_${secret}` };
}

function info(row: ApiKeyEntity): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    sources: row.sources,
    ratePerSecond: row.ratePerSecond,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

/** API keys in Postgres, for ingest's admin API and the `vigil apikey` command alike. */
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyEntity>;

  constructor(dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyEntity);
  }

  async create(request: NewApiKey): Promise<CreatedApiKey> {
    const generated = generateApiKey();
    const row = this.keys.create({
      id: generated.id,
      name: request.name,
      secretHash: hashSecret(generated.secret),
      sources: [...new Set(request.sources)],
      ratePerSecond: request.ratePerSecond ?? null,
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.keys.insert(row);
    return { ...info(row), key: generated.key };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
    const rows = await this.keys.find({
      where: options.includeRevoked ? {} : { revokedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
    return rows.map(info);
  }

  /** Revokes a key; revoking one already revoked changes nothing. Undefined when no such key. */
  async revoke(id: string): Promise<ApiKeyInfo | undefined> {
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    const row = await this.keys.findOneBy({ id });
    return row ? info(row) : undefined;
  }

  /** The active key a producer presented, or undefined when unknown, revoked or wrong. */
  async verify(presented: string): Promise<ApiKeyInfo | undefined> {
    const parsed = parseApiKey(presented);
    if (!parsed) return undefined;
    const row = await this.keys.findOneBy({ id: parsed.id, revokedAt: IsNull() });
    if (!row || !secretMatches(parsed.secret, row.secretHash)) return undefined;
    return info(row);
  }
}
