import { Module } from '@nestjs/common';
import { AlertCommandsController } from './alert-commands.controller';
import { OperatorModule } from '../operator/operator.module';

@Module({ imports: [OperatorModule], controllers: [AlertCommandsController] })
export class CommandsModule {}
