import { Column, Entity, PrimaryColumn } from 'typeorm';

export const LOOKUP_TABLE_FORMATS = ['csv', 'json'] as const;
export type LookupTableFormat = (typeof LOOKUP_TABLE_FORMATS)[number];

/**
 * One version of a lookup table that rules enrich events from (node → team, service → owner…).
 * Each table name has its own linear history; deleting a table appends a version marked `deleted`,
 * so what a table held at any time stays answerable. Written by the classifier only.
 */
@Entity({ schema: 'classifier', name: 'lookup_table_versions' })
export class LookupTableVersionEntity {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The text exactly as uploaded; empty on a deletion. */
  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'text' })
  format!: LookupTableFormat;

  /** The column whose value rules look rows up by. */
  @Column({ type: 'text' })
  keyColumn!: string;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'boolean' })
  deleted!: boolean;
}
