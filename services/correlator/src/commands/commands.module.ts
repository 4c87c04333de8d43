import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { AlertCommandsHandler } from './alert-commands.handler';
import { CommandService } from './command.service';

/**
 * Operator commands (acknowledge, assign, resolve, snooze, …) over NATS request/reply, applied
 * through the alerts module.
 */
@Module({
  imports: [AlertsModule],
  controllers: [AlertCommandsHandler],
  providers: [CommandService],
})
export class CommandsModule {}
