import { dropDatabase, ensureDatabase, runMigrations } from '@vigil/persistence';
import { uniqueDatabaseUrl } from './environment';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A private database for one test file, migrated unless asked not to; `drop()` removes it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = uniqueDatabaseUrl();
  if (options.migrate === false) await ensureDatabase(url);
  else await runMigrations(url);
  return { url, drop: () => dropDatabase(url) };
}
