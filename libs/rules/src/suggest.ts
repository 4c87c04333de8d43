import { ACTION_KEYS, RULE_OPTION_KEYS, SELECTOR_KEYS } from './document';

export const RULE_KEYS: readonly string[] = [...SELECTOR_KEYS, ...ACTION_KEYS, ...RULE_OPTION_KEYS];

/** Edit distance, to suggest the key a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

export function suggestion(key: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d)[0];
  if (best && best.d <= 2) return `; did you mean "${best.k}"?`;
  return ` (selectors: ${SELECTOR_KEYS.join(', ')}; actions: ${ACTION_KEYS.join(', ')}; options: ${RULE_OPTION_KEYS.join(', ')})`;
}
