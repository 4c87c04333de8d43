import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCER_EVENT_V1_SCHEMA } from '@vigil/contracts';
import { workspaceRoot } from '@vigil/launcher';
import { say } from '../output';

export const SCHEMA_FILE = join('libs', 'contracts', 'schema', 'producer-event.v1.json');

export function schemaText(): string {
  return `${JSON.stringify(PRODUCER_EVENT_V1_SCHEMA, null, 2)}\n`;
}

/** `vigil schema`: prints the producer event's JSON Schema, or (--write) refreshes the committed copy. */
export function schema(options: { write: boolean }): void {
  if (!options.write) {
    process.stdout.write(schemaText());
    return;
  }
  const file = join(workspaceRoot(), SCHEMA_FILE);
  writeFileSync(file, schemaText());
  say(`wrote ${SCHEMA_FILE}`);
}
