import { Injectable } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { ConsumerDefinition, Consumers } from '@vigil/contracts';
import { NatsClient } from '@vigil/messaging';

/**
 * The durable consumers an event passes on its way to the correlator. The correlator's own must
 * exist; the others may not (a deployment without NATS producers, a test of the correlator alone):
 * a stage that does not exist holds nothing back.
 */
const STAGES: readonly { def: ConsumerDefinition; required: boolean }[] = [
  { def: Consumers.IngestRaw, required: false },
  { def: Consumers.ClassifierAccepted, required: false },
  { def: Consumers.CorrelatorClassified, required: true },
];

const isMissing = (error: unknown) =>
  error instanceof JetStreamApiError &&
  (error.code === JetStreamApiCodes.ConsumerNotFound || error.code === JetStreamApiCodes.StreamNotFound);

/**
 * How far the pipeline has got: a time before which every event stored on its way to the
 * correlator has been correlated. It is now when no stage has a backlog, otherwise the store time
 * of the oldest message a stage has not acknowledged (the one after its ack floor: everything up
 * to the floor is acknowledged, and store times grow with the sequence). A deadline is judged only
 * once the watermark has passed it, so events waiting in a stream — published while the correlator
 * (or ingest, or the classifier) was down — move the deadlines they would have moved first.
 */
@Injectable()
export class PipelineWatermark {
  constructor(private readonly nats: NatsClient) {}

  /** Throws when a stage cannot be read: the caller skips its poll rather than guess. */
  async read(): Promise<Date> {
    // Before asking: a message stored after this instant has a later store time anyway.
    const now = new Date();
    const oldest = await Promise.all(STAGES.map((stage) => this.oldestUnacknowledged(stage)));
    return new Date(Math.min(now.getTime(), ...oldest.flatMap((t) => (t ? [t.getTime()] : []))));
  }

  private async oldestUnacknowledged({
    def,
    required,
  }: {
    def: ConsumerDefinition;
    required: boolean;
  }): Promise<Date | undefined> {
    const { jsm, space } = this.nats;
    const stream = space.stream(def.stream);
    let info;
    try {
      info = await jsm.consumers.info(stream, def.durable);
    } catch (error) {
      if (!required && isMissing(error)) return undefined;
      throw error;
    }
    if (info.num_pending === 0 && info.num_ack_pending === 0) return undefined;
    const seq = info.ack_floor.stream_seq + 1;
    let message = await jsm.streams.getMessage(stream, { seq });
    if (!message) {
      // Removed by the stream's limits before this consumer got to it: the stream's first one is next.
      const { state } = await jsm.streams.info(stream);
      if (state.first_seq > seq) message = await jsm.streams.getMessage(stream, { seq: state.first_seq });
    }
    if (!message)
      throw new Error(`message ${seq} of ${stream}, the first ${def.durable} has not acknowledged, is gone`);
    return message.time;
  }
}
