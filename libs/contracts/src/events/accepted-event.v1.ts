import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
  Matches,
} from 'class-validator';
import type { Category } from '../category';
import { IsCategory, IsLabelMap, IsPlainObject, IsTimestamp } from '../decorators';
import { LIMITS, UUID_PATTERN } from '../limits';
import { SEVERITIES } from '../severity';
import type { Severity } from '../severity';
import type { Attributes, Labels } from './producer-event.v1';

export const SchemaIds = {
  AcceptedEventV1: 'vigil.event.accepted/v1',
  ClassifiedEventV1: 'vigil.event.classified/v1',
  RejectedEventV1: 'vigil.event.rejected/v1',
  DeadLetterV1: 'vigil.deadletter/v1',
  AlertChangedV1: 'vigil.alert.changed/v1',
  IncidentChangedV1: 'vigil.incident.changed/v1',
} as const;

/** How an event reached ingest: the transport. */
export const INGEST_CHANNELS = ['nats', 'http', 'rpc', 'syslog'] as const;
export type IngestChannel = (typeof INGEST_CHANNELS)[number];

/**
 * Which producer format it arrived in: Vigil's own producer event, or one mapped onto it from a
 * CloudEvent, an Alertmanager webhook, a PagerDuty Events v2 call, a syslog line or a Panther event.
 */
export const INGEST_PROTOCOLS = [
  'vigil',
  'cloudevents',
  'alertmanager',
  'pagerduty',
  'syslog',
  'panther',
] as const;
export type IngestProtocol = (typeof INGEST_PROTOCOLS)[number];

export class EventOriginV1 {
  @IsIn(INGEST_CHANNELS)
  via!: IngestChannel;

  /** Absent means `vigil`: the producer event itself. */
  @IsOptional()
  @IsIn(INGEST_PROTOCOLS)
  protocol?: IngestProtocol;

  /** The raw subject for NATS producers; the remote address for HTTP. */
  @IsOptional()
  @IsString()
  from?: string;
}

/** The fields every pipeline event carries once ingest has accepted it. */
export abstract class PipelineEventV1 {
  /**
   * The platform's event id, unique across producers: a name-based UUID of the source and the
   * producer's id, so a re-send maps to the same id while equal ids of two producers never collide.
   */
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;

  /** The id the producer sent (`id`, `dedup_key`, `Nats-Msg-Id`), if any. */
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.idLength)
  producerId?: string;

  @IsString()
  @IsNotEmpty()
  source!: string;

  @IsString()
  @IsNotEmpty()
  node!: string;

  @IsString()
  @IsNotEmpty()
  type!: string;

  @IsString()
  summary!: string;

  @IsIn(SEVERITIES)
  severity!: Severity;

  @IsTimestamp()
  occurredAt!: string;

  /** When ingest first saw the event (JetStream store time for NATS producers): the latency origin. */
  @IsTimestamp()
  receivedAt!: string;

  @IsOptional()
  @IsString()
  service?: string;

  @IsOptional()
  @IsString()
  environment?: string;

  @IsLabelMap()
  labels!: Labels;

  @IsPlainObject()
  attributes!: Attributes;

  @IsString()
  @IsNotEmpty()
  fingerprint!: string;

  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => EventOriginV1)
  origin!: EventOriginV1;
}

/**
 * An event that passed ingest: validated, severity normalised, id and fingerprint fixed. Published to
 * `events.accepted.<source>` with `Nats-Msg-Id` = `id`.
 */
export class AcceptedEventV1 extends PipelineEventV1 {
  @Equals(SchemaIds.AcceptedEventV1)
  schema!: typeof SchemaIds.AcceptedEventV1;

  /** The producer's category, if it sent one; the classifier decides the final one. */
  @IsOptional()
  @IsCategory()
  category?: Category;
}
