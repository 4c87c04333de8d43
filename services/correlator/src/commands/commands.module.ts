import { Module } from '@nestjs/common';
import { AlertCommandsHandler } from './alert-commands.handler';
import { CommandService } from './command.service';

/** Operator commands (acknowledge, assign, resolve, snooze, …) over NATS request/reply. */
@Module({
  controllers: [AlertCommandsHandler],
  providers: [CommandService],
})
export class CommandsModule {}
