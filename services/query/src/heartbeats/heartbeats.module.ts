import { Module } from '@nestjs/common';
import { HeartbeatsController } from './heartbeats.controller';

@Module({ controllers: [HeartbeatsController] })
export class HeartbeatsModule {}
