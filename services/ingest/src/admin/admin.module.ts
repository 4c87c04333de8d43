import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AdminTokenGuard } from './admin-token.guard';
import { ApiKeysController } from './api-keys.controller';

@Module({
  imports: [EventsModule],
  controllers: [ApiKeysController],
  providers: [AdminTokenGuard],
})
export class AdminModule {}
