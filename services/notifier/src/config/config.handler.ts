import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeletedNotifierObjectV1,
  DeleteNotifierObjectV1,
  GetNotifierObjectV1,
  ListNotifierObjectsV1,
  NotifierObjectV1,
  OnCallV1,
  PutNotifierObjectV1,
  RpcSubjects,
  ScheduleShiftsReplyV1,
  ScheduleShiftsV1,
  SendTestNotificationV1,
  TestNotificationReplyV1,
  WhoIsOnCallV1,
} from '@vigil/contracts';
import { NotifierConfigService } from './config.service';
import { SchedulesService } from './schedules.service';
import { TestNotificationsService } from './test-notifications.service';

/**
 * The notifier's configuration over NATS request/reply (`RpcSubjects.Notifier*`), answered in the
 * notifier's queue group. Refusals are envelopes: `invalid_request` naming each field,
 * `not_found`, `conflict` (a stale `basedOnRevision`, or a write that would leave another object
 * naming something gone).
 */
@Controller()
export class NotifierConfigHandler {
  constructor(
    private readonly objects: NotifierConfigService,
    private readonly schedules: SchedulesService,
    private readonly tests: TestNotificationsService,
  ) {}

  @MessagePattern(RpcSubjects.NotifierObjectPut)
  put(@Payload() request: PutNotifierObjectV1): Promise<NotifierObjectV1> {
    return this.objects.put(request);
  }

  @MessagePattern(RpcSubjects.NotifierObjectGet)
  get(@Payload() request: GetNotifierObjectV1): Promise<NotifierObjectV1> {
    return this.objects.get(request);
  }

  @MessagePattern(RpcSubjects.NotifierObjectList)
  list(@Payload() request: ListNotifierObjectsV1): Promise<NotifierObjectV1[]> {
    return this.objects.list(request);
  }

  @MessagePattern(RpcSubjects.NotifierObjectDelete)
  delete(@Payload() request: DeleteNotifierObjectV1): Promise<DeletedNotifierObjectV1> {
    return this.objects.delete(request);
  }

  @MessagePattern(RpcSubjects.NotifierWhoIsOnCall)
  onCall(@Payload() request: WhoIsOnCallV1): Promise<OnCallV1> {
    return this.schedules.onCall(request);
  }

  @MessagePattern(RpcSubjects.NotifierScheduleShifts)
  shifts(@Payload() request: ScheduleShiftsV1): Promise<ScheduleShiftsReplyV1> {
    return this.schedules.shifts(request);
  }

  @MessagePattern(RpcSubjects.NotifierSendTest)
  sendTest(@Payload() request: SendTestNotificationV1): Promise<TestNotificationReplyV1> {
    return this.tests.send(request);
  }
}
