import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@vigil/launcher';

const run = promisify(execFile);
const root = workspaceRoot();

/** Lints one probe file placed inside a project, then removes it; returns ESLint's exit code and output. */
async function lintProbe(relativePath: string, source: string): Promise<{ code: number; output: string }> {
  const file = join(root, relativePath);
  writeFileSync(file, source);
  try {
    await run('npx', ['nx', 'show', 'projects'], { cwd: root });
    await run('npx', ['eslint', '--no-warn-ignored', relativePath], { cwd: root });
    return { code: 0, output: '' };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: `${failure.stdout}${failure.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('module boundaries, enforced by lint', () => {
  it('fail a service that imports another service', async () => {
    const result = await lintProbe(
      'services/query/src/boundary-probe.ts',
      "import { IngestEnv } from '../../ingest/src/ingest.env';\n\nexport const probe = IngestEnv;\n",
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('@nx/enforce-module-boundaries');
  });

  it('fail contracts that import a framework', async () => {
    const result = await lintProbe(
      'libs/contracts/src/boundary-probe.ts',
      "import { Injectable } from '@nestjs/common';\n\nexport const probe = Injectable;\n",
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('"type:contract" is not allowed to import "@nestjs/common"');
  });

  it('pass a service that uses only the shared libraries', async () => {
    const result = await lintProbe(
      'services/query/src/boundary-probe.ts',
      "import { Subjects } from '@vigil/contracts';\n\nexport const probe = Subjects.EventsRaw;\n",
    );
    expect(result).toEqual({ code: 0, output: '' });
  });
});
