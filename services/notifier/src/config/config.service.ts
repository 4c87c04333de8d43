import { Injectable } from '@nestjs/common';
import {
  DeletedNotifierObjectV1,
  DeleteNotifierObjectV1,
  FieldError,
  GetNotifierObjectV1,
  ListNotifierObjectsV1,
  NotifierObjectKind,
  NotifierObjectV1,
  PutNotifierObjectV1,
} from '@vigil/contracts';
import { InvalidMessageError, RpcFailure } from '@vigil/messaging';
import { buildSnapshot, ParsedObject } from './config-snapshot';
import { checkWrite, KIND_NAMES, parseNotifierObject, prefixErrors, WriteCheck } from './config-validation';
import { NotifierConfigRepository, StaleObjectError, StoredObject } from './config.repository';
import { NotifierConfig } from './notifier-config';
import { ChannelRegistry } from '../channels';

export function objectView(object: StoredObject): NotifierObjectV1 {
  return {
    kind: object.kind,
    id: object.id,
    revision: object.revision,
    body: object.body,
    updatedAt: object.updatedAt.toISOString(),
    updatedBy: object.updatedBy,
  };
}

const named = (kind: NotifierObjectKind, id: string) => `${KIND_NAMES[kind]} "${id}"`;

const describeProblems = (problems: readonly FieldError[]) =>
  problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; ');

function brokenMessage(action: string, broken: WriteCheck['broken']): string {
  const who = broken.map((other) => `${named(other.kind, other.id)} (${describeProblems(other.problems)})`);
  return `${action} would leave ${who.join(', ')} pointing at nothing; change ${broken.length > 1 ? 'them' : 'it'} first`;
}

/**
 * Saves and deletes configuration objects. A body is checked on its own first (each fault named
 * by its field), then against everything stored, under the write lock: what it names must exist
 * (`invalid_request` naming the field), and no other object may be left naming something gone
 * (`conflict` naming them). Reads come from Postgres, so they never lag behind a save another
 * replica made.
 */
@Injectable()
export class NotifierConfigService {
  constructor(
    private readonly repository: NotifierConfigRepository,
    private readonly config: NotifierConfig,
    private readonly channels: ChannelRegistry,
  ) {}

  async get(request: GetNotifierObjectV1): Promise<NotifierObjectV1> {
    const object = await this.repository.get(request.kind, request.id);
    if (!object) throw new RpcFailure('not_found', `${named(request.kind, request.id)} not found`);
    return objectView(object);
  }

  async list(request: ListNotifierObjectsV1): Promise<NotifierObjectV1[]> {
    return (await this.repository.list(request.kind)).map(objectView);
  }

  async put(request: PutNotifierObjectV1): Promise<NotifierObjectV1> {
    const parsed = parseNotifierObject(request.kind, request.id, request.body, this.channels.parseConfig);
    if (!parsed.ok) {
      throw new InvalidMessageError(
        parsed.errors.map((error) => (error.field === '' ? prefixErrors('body', [error])[0] : error)),
      );
    }
    const saved = await this.write(() =>
      this.repository.put(
        {
          kind: request.kind,
          id: request.id,
          body: request.body,
          actor: request.actor,
          comment: request.comment,
          basedOnRevision: request.basedOnRevision,
        },
        (objects) => {
          const check = this.check(objects, request.kind, request.id, parsed.value);
          if (check.invalid.length) throw new InvalidMessageError(check.invalid);
          if (check.broken.length) {
            throw new RpcFailure(
              'conflict',
              brokenMessage(`saving ${named(request.kind, request.id)}`, check.broken),
            );
          }
        },
      ),
    );
    await this.config.announceVersion(saved.version);
    return objectView(saved.object);
  }

  async delete(request: DeleteNotifierObjectV1): Promise<DeletedNotifierObjectV1> {
    if (request.kind === 'routing_tree') {
      // Without a tree nothing is routed, so nobody is paged: replace it instead.
      throw new RpcFailure('conflict', 'the routing tree cannot be deleted; replace it instead');
    }
    const deleted = await this.write(() =>
      this.repository.delete({ kind: request.kind, id: request.id, actor: request.actor }, (objects) => {
        const check = this.check(objects, request.kind, request.id);
        if (check.broken.length) {
          throw new RpcFailure(
            'conflict',
            brokenMessage(`deleting ${named(request.kind, request.id)}`, check.broken),
          );
        }
      }),
    );
    if (!deleted) throw new RpcFailure('not_found', `${named(request.kind, request.id)} not found`);
    await this.config.announceVersion(deleted.version);
    return { kind: request.kind, id: request.id, deleted: true };
  }

  private check(
    objects: StoredObject[],
    kind: NotifierObjectKind,
    id: string,
    object?: ParsedObject,
  ): WriteCheck {
    const parsed = [...this.config.parseStored(objects).values()].filter(
      (other): other is ParsedObject => other !== undefined,
    );
    return checkWrite(buildSnapshot(0, parsed), kind, id, object);
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StaleObjectError) throw new RpcFailure('conflict', error.message);
      throw error;
    }
  }
}
