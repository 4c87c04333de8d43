import {
  decodeOriginal,
  DeadLetterV1,
  Headers,
  RejectedEventV1,
  SubjectSpace,
  Subjects,
} from '@vigil/contracts';

export type ReplayFrom = 'rejected' | 'deadletter';

/** Where one archived message goes back to, or why it cannot. */
export type ReplayPlan =
  | { replay: true; subject: string; data: Uint8Array; headers: Record<string, string>; msgId: string }
  | { replay: false; reason: string };

/** Formats whose originals the NATS raw path reads: Vigil's own event and structured CloudEvents. */
const REPLAYABLE_PROTOCOLS = new Set(['vigil', 'cloudevents']);

/**
 * The message id of a replay: one per archived message, so running the same replay twice within
 * the duplicate window publishes once.
 */
function replayMsgId(archiveStream: string, archiveSeq: number): string {
  return `replay:${archiveStream}:${archiveSeq}`;
}

/**
 * A refused producer event goes back through ingest as a NATS producer would send it: to the raw
 * subject it was published to, or for HTTP and request/reply producers to `events.raw.<source>`.
 * Webhook and syslog originals are not producer events and cannot be re-read there: their senders
 * must re-send.
 */
export function planRejectedReplay(
  rejected: RejectedEventV1,
  archivedSubject: string,
  archive: { stream: string; seq: number },
  space: SubjectSpace,
): ReplayPlan {
  const protocol = rejected.protocol ?? 'vigil';
  if (!REPLAYABLE_PROTOCOLS.has(protocol)) {
    return { replay: false, reason: `${protocol} messages can only be re-sent by their producer` };
  }
  const source = space.tokenOf(Subjects.EventsRejected, archivedSubject) ?? 'unknown';
  const headers: Record<string, string> = { ...rejected.headers };
  return {
    replay: true,
    subject: rejected.subject ?? space.subject(Subjects.EventsRaw, source),
    data: decodeOriginal(rejected.original, rejected.originalEncoding),
    headers,
    msgId: replayMsgId(archive.stream, archive.seq),
  };
}

/**
 * A dead letter goes back to the subject it was consumed from, with its headers, so the consumer
 * that gave up on it (and any other on that stream) sees it again. Its old `Nats-Msg-Id` is
 * replaced: the original is still in its stream's duplicate window more often than not, and the
 * payload's own event id keeps the downstream stages idempotent.
 */
export function planDeadLetterReplay(
  letter: DeadLetterV1,
  archive: { stream: string; seq: number },
): ReplayPlan {
  const headers = Object.fromEntries(
    Object.entries(letter.headers).filter(([name]) => name.toLowerCase() !== Headers.MsgId.toLowerCase()),
  );
  return {
    replay: true,
    subject: letter.subject,
    data: decodeOriginal(letter.original, letter.originalEncoding),
    headers,
    msgId: replayMsgId(archive.stream, archive.seq),
  };
}
