import { Module } from '@nestjs/common';
import { NotifierConfigController } from './notifier-config.controller';
import { NotifierRpc } from './notifier-rpc.service';

@Module({ controllers: [NotifierConfigController], providers: [NotifierRpc] })
export class NotifierConfigModule {}
