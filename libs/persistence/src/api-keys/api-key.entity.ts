import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An HTTP producer's credential. Only a hash of the secret is kept: the key is shown once, at
 * creation. Revoked keys stay for the audit trail. Written by ingest and the `vigil apikey` command.
 */
@Entity({ schema: 'ingest', name: 'api_keys' })
export class ApiKeyEntity {
  /** The public part of the key (`vk_<id>_<secret>`), so a lookup needs no scan of hashes. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** SHA-256 of the secret: the secret is 192 random bits, so a slow hash would add nothing. */
  @Column({ type: 'bytea' })
  secretHash!: Buffer;

  /** The event sources this key may send as. */
  @Column({ type: 'text', array: true })
  sources!: string[];

  /** Overrides the default rate limit for this key (events per second). */
  @Column({ type: 'integer', nullable: true })
  ratePerSecond!: number | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
