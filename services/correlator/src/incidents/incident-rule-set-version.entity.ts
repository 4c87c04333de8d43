import { RuleSetVersionColumns } from '@vigil/persistence';
import { Entity } from 'typeorm';

/**
 * The correlator's correlation (incident) rules, kept as JSON (written by the correlator only), read
 * and written through `RuleSetRepository`. The classifier's rule set is the same shape in its own table.
 */
@Entity({ schema: 'correlator', name: 'incident_rule_set_versions' })
export class IncidentRuleSetVersionEntity extends RuleSetVersionColumns {}
