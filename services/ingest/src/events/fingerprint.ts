import { createHash } from 'node:crypto';
import type { Labels } from '@vigil/contracts';

/**
 * The default de-duplication key: what happened (type) to what (node), reported by whom (source),
 * with which labels. Severity and summary are deliberately left out, so a severity change or a
 * reworded summary updates the same alert instead of opening a second one (Panther's key included
 * severity, which split one problem into several rows).
 */
export function defaultFingerprint(source: string, node: string, type: string, labels: Labels): string {
  const sortedLabels = Object.keys(labels)
    .sort()
    .map((key) => [key, labels[key]]);
  return createHash('sha256')
    .update(JSON.stringify([source, node, type, sortedLabels]))
    .digest('hex');
}
