import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  DeletedNotifierObjectV1,
  NotifierObjectKind,
  NotifierObjectV1,
  OnCallV1,
  ROUTING_TREE_ID,
  RpcSubjects,
  ScheduleShiftsReplyV1,
  SendTestNotificationV1,
  TestNotificationReplyV1,
} from '@vigil/contracts';
import type { FastifyReply } from 'fastify';
import { BodyExample } from '../operator/api-docs';
import { OperatorWrite } from '../operator/operator-write.decorator';
import { DeleteObjectQuery, OnCallQuery, PutObjectQuery, ShiftsQuery } from './dto/notifier-config.dto';
import { basedOnRevision } from './if-match';
import { NotifierRpc } from './notifier-rpc.service';

/** The path segment of each kind that has many objects. */
const COLLECTIONS: Record<string, Exclude<NotifierObjectKind, 'routing_tree'>> = {
  users: 'user',
  channels: 'channel',
  schedules: 'schedule',
  'escalation-policies': 'escalation_policy',
};

function kindOf(collection: string): Exclude<NotifierObjectKind, 'routing_tree'> {
  const kind = Object.hasOwn(COLLECTIONS, collection) ? COLLECTIONS[collection] : undefined;
  if (!kind) {
    throw new NotFoundException(`no such collection "${collection}": ${Object.keys(COLLECTIONS).join(', ')}`);
  }
  return kind;
}

const EXAMPLES = {
  user: {
    name: 'Alice Example',
    timeZone: 'Europe/Berlin',
    contactMethods: [
      { id: 'work-email', type: 'email', address: 'alice@example.org' },
      {
        id: 'phone',
        type: 'webhook',
        config: { url: 'https://pager.example.org/alice', secret: 'at-least-16-characters' },
      },
    ],
  },
  channel: {
    type: 'slack',
    config: { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
    rateLimit: { perMinute: 30 },
  },
  schedule: {
    name: 'DB primary',
    timeZone: 'Europe/Berlin',
    layers: [
      { name: 'weekly', start: '2026-01-05T09:00', rotation: { type: 'weekly' }, users: ['alice', 'bob'] },
    ],
    overrides: [{ user: 'carol', start: '2026-02-01T18:00:00+01:00', end: '2026-02-02T09:00:00+01:00' }],
  },
  escalation_policy: {
    name: 'DB on-call',
    levels: [
      { delay: '5m', targets: [{ type: 'schedule', id: 'db-primary' }] },
      {
        delay: '15m',
        targets: [
          { type: 'user', id: 'alice' },
          { type: 'channel', id: 'db-slack' },
        ],
      },
    ],
    repeat: 1,
  },
  routing_tree: {
    policy: 'default',
    groupBy: ['service', 'node'],
    routes: [{ name: 'db', matchers: ['team="db"'], policy: 'db-oncall' }],
  },
};

/** The answers every call forwarded to the notifier may give besides its success. */
function NotifierResponses(): MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status: 400,
      description:
        '`{message, errors: [{field, reason}]}`, each fault named by its field in the object (`levels[1].targets[0].id`, `config.url`, `contactMethods[0].channel`)',
    }),
    ApiResponse({ status: 404, description: 'no such object (or schedule, user, channel)' }),
    ApiResponse({
      status: 409,
      description:
        '`If-Match` is not the stored revision, or the change would leave another object naming something that no longer exists; `message` says which',
    }),
    ApiResponse({ status: 502, description: 'the notifier failed' }),
    ApiResponse({ status: 503, description: 'the notifier did not answer (see Retry-After)' }),
  );
}

function CollectionParam(): MethodDecorator {
  return ApiParam({ name: 'collection', enum: Object.keys(COLLECTIONS) });
}

function IfMatchHeader(): MethodDecorator {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The revision the change is based on (`3` or the ETag `"3"`); 409 if the stored one differs. `0`: the object must not exist yet.',
  });
}

const etag = (object: NotifierObjectV1) => `"${object.revision}"`;

/**
 * The notifier's configuration — users, channels, on-call schedules, escalation policies and the
 * routing tree — forwarded to the notifier, which owns and checks it.
 */
@ApiTags('notification configuration')
@Controller('api/v1/notifications')
export class NotifierConfigController {
  constructor(private readonly notifier: NotifierRpc) {}

  @Get('routes')
  @ApiOperation({ summary: 'The routing tree (404 until one is saved)' })
  @NotifierResponses()
  async routes(@Res({ passthrough: true }) reply: FastifyReply): Promise<NotifierObjectV1> {
    const object = await this.notifier.request(RpcSubjects.NotifierObjectGet, {
      kind: 'routing_tree',
      id: ROUTING_TREE_ID,
    });
    void reply.header('etag', etag(object));
    return object;
  }

  @Put('routes')
  @OperatorWrite()
  @ApiOperation({ summary: 'Replace the routing tree (`?actor=`, optional `?comment=`)' })
  @IfMatchHeader()
  @BodyExample(EXAMPLES.routing_tree)
  @NotifierResponses()
  putRoutes(
    @Body() body: Record<string, unknown>,
    @Query() query: PutObjectQuery,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<NotifierObjectV1> {
    return this.put('routing_tree', ROUTING_TREE_ID, body, query, ifMatch);
  }

  @Post('test')
  @HttpCode(200)
  @OperatorWrite()
  @ApiOperation({
    summary: 'Send a test notification now to a channel, or to every contact method of a user',
    description:
      "Sent at once, not through the delivery log: no retries, no rate limit. The answer gives each destination's result (`ok`, `status`, `error`, `retryable`).",
  })
  @BodyExample({ actor: 'alice', targetKind: 'user', targetId: 'alice', message: 'testing my phone hook' })
  @NotifierResponses()
  test(@Body() body: SendTestNotificationV1): Promise<TestNotificationReplyV1> {
    return this.notifier.request(RpcSubjects.NotifierSendTest, body);
  }

  @Get('schedules/:id/on-call')
  @ApiOperation({ summary: 'Who is on call on a schedule, now or `?at=`' })
  @NotifierResponses()
  onCall(@Param('id') id: string, @Query() query: OnCallQuery): Promise<OnCallV1> {
    return this.notifier.request(RpcSubjects.NotifierWhoIsOnCall, {
      scheduleId: id,
      ...(query.at !== undefined && { at: query.at }),
    });
  }

  @Get('schedules/:id/shifts')
  @ApiOperation({
    summary: 'The shifts of a schedule from `?from=` (now) to `?to=` (14 days later), at most 366 days',
  })
  @NotifierResponses()
  shifts(@Param('id') id: string, @Query() query: ShiftsQuery): Promise<ScheduleShiftsReplyV1> {
    return this.notifier.request(RpcSubjects.NotifierScheduleShifts, { scheduleId: id, ...span(query) });
  }

  @Get('schedules/:id/calendar.ics')
  @ApiOperation({ summary: 'The same shifts as an iCalendar (RFC 5545) document, to subscribe to' })
  @ApiProduces('text/calendar')
  @ApiResponse({
    status: 200,
    description: 'text/calendar, one VEVENT per shift',
    content: { 'text/calendar': {} },
  })
  @NotifierResponses()
  async calendar(
    @Param('id') id: string,
    @Query() query: ShiftsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const answer = await this.notifier.request(RpcSubjects.NotifierScheduleShifts, {
      scheduleId: id,
      ...span(query),
      format: 'ical',
    });
    void reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `inline; filename="${answer.scheduleId}.ics"`);
    return answer.ical ?? '';
  }

  @Get(':collection')
  @CollectionParam()
  @ApiOperation({ summary: 'Every object of a kind, by id' })
  @NotifierResponses()
  list(@Param('collection') collection: string): Promise<NotifierObjectV1[]> {
    return this.notifier.request(RpcSubjects.NotifierObjectList, { kind: kindOf(collection) });
  }

  @Get(':collection/:id')
  @CollectionParam()
  @ApiOperation({ summary: 'One object, with its revision (also the `ETag`)' })
  @NotifierResponses()
  async get(
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NotifierObjectV1> {
    const object = await this.notifier.request(RpcSubjects.NotifierObjectGet, {
      kind: kindOf(collection),
      id,
    });
    void reply.header('etag', etag(object));
    return object;
  }

  @Put(':collection/:id')
  @OperatorWrite()
  @CollectionParam()
  @ApiOperation({
    summary: 'Create or replace an object (`?actor=`, optional `?comment=`); the body is the object',
  })
  @IfMatchHeader()
  @ApiBody({
    schema: { type: 'object' },
    examples: {
      user: { value: EXAMPLES.user },
      channel: { value: EXAMPLES.channel },
      schedule: { value: EXAMPLES.schedule },
      'escalation policy': { value: EXAMPLES.escalation_policy },
    },
  })
  @NotifierResponses()
  putObject(
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Query() query: PutObjectQuery,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<NotifierObjectV1> {
    return this.put(kindOf(collection), id, body, query, ifMatch);
  }

  @Delete(':collection/:id')
  @OperatorWrite()
  @CollectionParam()
  @ApiOperation({ summary: 'Delete an object (`?actor=`); 409 while another object names it' })
  @NotifierResponses()
  delete(
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Query() query: DeleteObjectQuery,
  ): Promise<DeletedNotifierObjectV1> {
    return this.notifier.request(RpcSubjects.NotifierObjectDelete, {
      kind: kindOf(collection),
      id,
      actor: query.actor,
    });
  }

  private put(
    kind: NotifierObjectKind,
    id: string,
    body: Record<string, unknown>,
    query: PutObjectQuery,
    ifMatch: string | undefined,
  ): Promise<NotifierObjectV1> {
    const revision = basedOnRevision(ifMatch);
    return this.notifier.request(RpcSubjects.NotifierObjectPut, {
      kind,
      id,
      body,
      actor: query.actor,
      ...(query.comment !== undefined && { comment: query.comment }),
      ...(revision !== undefined && { basedOnRevision: revision }),
    });
  }
}

function span(query: ShiftsQuery): { from?: string; to?: string } {
  return {
    ...(query.from !== undefined && { from: query.from }),
    ...(query.to !== undefined && { to: query.to }),
  };
}
