import { Module } from '@nestjs/common';
import { AlertCommandsController } from './alert-commands.controller';

@Module({ controllers: [AlertCommandsController] })
export class CommandsModule {}
