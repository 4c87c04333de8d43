import { RuleSetVersionColumns } from '@vigil/persistence';
import { Entity } from 'typeorm';

/** The classifier's rule set (written by the classifier only), read and written through `RuleSetRepository`. */
@Entity({ schema: 'classifier', name: 'rule_set_versions' })
export class RuleSetVersionEntity extends RuleSetVersionColumns {}
