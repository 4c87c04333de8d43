import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@vigil/launcher';

/** A row of the README's configuration table: the variables it names and who reads them. */
export interface ReadmeSettingsRow {
  names: string[];
  usedBy: string;
}

/** The rows of the README's "Configuration" table. */
export function readmeSettings(readme = join(workspaceRoot(), 'README.md')): ReadmeSettingsRow[] {
  const text = readFileSync(readme, 'utf8');
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(text)?.[1];
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return { names: [...cells[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]), usedBy: cells[3] };
    });
}

/**
 * How the README and a service's settings class disagree: variables the service reads that no row
 * for it lists, and variables a row for it lists that it does not read. Rows used by `all` or
 * `services` apply to every service.
 */
export function readmeSettingsGaps(
  service: string,
  declared: readonly string[],
  rows: ReadmeSettingsRow[] = readmeSettings(),
): { undocumented: string[]; notRead: string[] } {
  const applies = (row: ReadmeSettingsRow) =>
    row.usedBy === service || row.usedBy.startsWith('all') || row.usedBy === 'services';
  const documented = new Set(rows.filter(applies).flatMap((row) => row.names));
  return {
    undocumented: declared.filter((name) => !documented.has(name)).sort(),
    notRead: [...documented].filter((name) => !declared.includes(name)).sort(),
  };
}
