/** The ITIL-style event types every classified event belongs to. */
export const CATEGORIES = [
  'business',
  'os',
  'operational',
  'security',
  'application',
  'hardware',
  'network',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What the classifier assigns when neither the producer nor a rule chose a category. */
export const DEFAULT_CATEGORY: Category = 'operational';

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
