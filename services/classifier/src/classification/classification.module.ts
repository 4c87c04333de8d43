import { Module } from '@nestjs/common';
import { AcceptedEventsHandler } from './accepted-events.handler';

@Module({ controllers: [AcceptedEventsHandler] })
export class ClassificationModule {}
