import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@vigil/launcher';
import { withStreams } from './streams';

/**
 * `npm run docs`: rewrites the generated parts of docs/architecture.md (the streams and durable
 * consumers, from libs/contracts). A unit test fails when they are stale.
 */
const file = join(workspaceRoot(), 'docs', 'architecture.md');
const current = readFileSync(file, 'utf8');
const next = withStreams(current);
if (next !== current) writeFileSync(file, next);
process.stdout.write(
  `docs/architecture.md: streams and consumers ${next === current ? 'current' : 'regenerated'}\n`,
);
