/**
 * The status of a row of `correlator.incidents`. `pending`: gathering alerts towards the rule's
 * threshold, not announced; then as `IncidentStatus`.
 */
export type IncidentRowStatus = 'pending' | 'open' | 'acknowledged' | 'resolved';
