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

/** Urgency of a classified event, P1 (act now) to P5 (whenever), from severity × impact. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** How much of the business an event touches; rules and lookup tables set it, `medium` otherwise. */
export const IMPACTS = ['high', 'medium', 'low'] as const;
export type Impact = (typeof IMPACTS)[number];
export const DEFAULT_IMPACT: Impact = 'medium';
