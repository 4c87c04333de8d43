import { DEFAULT_IMPACT, Impact, Priority, Severity } from '@vigil/contracts';

/**
 * The ITIL priority matrix with severity as urgency: how bad it is × how much it touches. A critical
 * event of high impact is P1; one of low impact, or a major one of medium impact, waits its turn.
 * Informational and clearing events never outrank P5.
 */
export const PRIORITY_MATRIX: Readonly<Record<Severity, Readonly<Record<Impact, Priority>>>> = {
  critical: { high: 'P1', medium: 'P2', low: 'P3' },
  major: { high: 'P2', medium: 'P3', low: 'P4' },
  minor: { high: 'P3', medium: 'P4', low: 'P5' },
  warning: { high: 'P4', medium: 'P5', low: 'P5' },
  indeterminate: { high: 'P5', medium: 'P5', low: 'P5' },
  cleared: { high: 'P5', medium: 'P5', low: 'P5' },
};

export function priorityOf(severity: Severity, impact: Impact = DEFAULT_IMPACT): Priority {
  return PRIORITY_MATRIX[severity][impact];
}
