import { isSelectorKey } from './document';

type Raw = Record<string, unknown>;

/** Panther's rule-set shortcuts, which it expanded into rules ahead of the set's own. */
export const LEGACY_KEYS = ['discard', 'dedupe'];

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Panther's `discard: [...]` shortcut (PC:src/discard.coffee): a regex matches the summary, a
 * mapping is a selector set; either discards.
 */
export function legacyDiscard(entry: unknown, index: number): Raw | undefined {
  const name = `Discard ${index + 1}`;
  if (typeof entry === 'string') return { name, match: { summary: entry }, discard: true };
  if (!isObject(entry)) return undefined;
  const selectors = Object.fromEntries(Object.entries(entry).filter(([key]) => isSelectorKey(key)));
  return Object.keys(selectors).length ? { name, ...selectors, discard: true } : undefined;
}

/** Panther's `dedupe: [[match, search, with] | [match, with]]` shortcut (PC:src/dedupe.coffee). */
export function legacyDedupe(entry: unknown, index: number): Raw | undefined {
  if (!Array.isArray(entry) || (entry.length !== 2 && entry.length !== 3)) return undefined;
  const items: unknown[] = entry;
  const [match, search, replacement] = items.length === 3 ? items : [items[0], items[0], items[1]];
  return {
    name: `Dedupe ${index + 1}`,
    match: { summary: match },
    replace: { field: 'summary', this: search, with: replacement },
  };
}
