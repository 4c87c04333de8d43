import { Module } from '@nestjs/common';
import { NotifierConfigController } from './notifier-config.controller';
import { NotifierRpc } from './notifier-rpc.service';
import { OperatorModule } from '../operator/operator.module';

@Module({ imports: [OperatorModule], controllers: [NotifierConfigController], providers: [NotifierRpc] })
export class NotifierConfigModule {}
