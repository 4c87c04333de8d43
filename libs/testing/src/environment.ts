import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from '@vigil/config';

/** Tests use the machine's NATS and Postgres, overridable like the services themselves. */
export const TEST_NATS_URL = process.env.NATS_URL ?? DEFAULT_NATS_URL;
const TEST_SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

/** A prefix no other run shares: `t<12 hex>`; subjects `t….events.raw.x`, streams `T…_EVENTS_RAW`. */
export function uniquePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** A database URL on the test server with a fresh, unused name. */
export function uniqueDatabaseUrl(): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/vigil_test_${randomBytes(6).toString('hex')}`;
  return url.toString();
}
