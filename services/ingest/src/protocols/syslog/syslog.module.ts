import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { SyslogListeners } from './syslog.listeners';
import { SyslogMetrics } from './syslog.metrics';
import { SyslogReceiver } from './syslog.receiver';

/** Syslog (RFC 5424 and RFC 3164) over UDP and TCP, mapped onto producer events. */
@Module({
  imports: [EventsModule],
  providers: [SyslogReceiver, SyslogMetrics, SyslogListeners],
  exports: [SyslogListeners],
})
export class SyslogModule {}
