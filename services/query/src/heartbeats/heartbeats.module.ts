import { Module } from '@nestjs/common';
import { HeartbeatsController } from './heartbeats.controller';
import { OperatorModule } from '../operator/operator.module';

@Module({ imports: [OperatorModule], controllers: [HeartbeatsController] })
export class HeartbeatsModule {}
