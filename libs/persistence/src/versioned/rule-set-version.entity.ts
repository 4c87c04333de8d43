import { Column, PrimaryColumn } from 'typeorm';

export const RULE_SET_FORMATS = ['yaml', 'json'] as const;
export type RuleSetFormat = (typeof RULE_SET_FORMATS)[number];

/**
 * One saved version of a rule set. The versions form a linear history and the newest is the active
 * set; a rollback appends a copy of an older version rather than deleting anything, so the history
 * is also the audit trail. Each owner maps these columns onto its own table (`@Entity` on a subclass)
 * and reads and writes it through `RuleSetRepository`.
 */
export abstract class RuleSetVersionColumns {
  /** 1, 2, 3…: allocated under a table lock, so there are no gaps from concurrent saves. */
  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The text exactly as the operator saved it (comments and ordering kept). */
  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'text' })
  format!: RuleSetFormat;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** Set on a rollback: the older version whose content this version restores. */
  @Column({ type: 'integer', nullable: true })
  rolledBackFrom!: number | null;
}
