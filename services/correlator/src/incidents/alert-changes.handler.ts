import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertChangedV1, Subjects } from '@vigil/contracts';
import { JetStreamBatchContext } from '@vigil/messaging';
import { IncidentCorrelationService } from './incident-correlation.service';

@Controller()
export class AlertChangesHandler {
  constructor(private readonly incidents: IncidentCorrelationService) {}

  /** Acknowledged only after the batch's transaction commits. */
  @EventPattern(Subjects.AlertsChanged)
  async onAlertsChanged(
    @Payload() changes: AlertChangedV1[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    await this.incidents.apply(
      changes,
      changes.map((_, i) => context.propagatedHeaders(i)),
    );
  }
}
