import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { errorText } from './errors';
import { NatsClient } from './nats.client';

const PING_TIMEOUT_MS = 2000;

/** Readiness: the connection is open and the server answers a ping within two seconds. */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly nats: NatsClient,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('nats');
    if (this.nats.connection.isClosed()) return indicator.down({ message: 'connection closed' });
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)),
          PING_TIMEOUT_MS,
        );
      });
      const rttMs = await Promise.race([this.nats.connection.rtt(), timeout]).finally(() =>
        clearTimeout(timer),
      );
      return indicator.up({ server: this.nats.connection.getServer(), rttMs: Math.round(rttMs * 100) / 100 });
    } catch (error) {
      return indicator.down({ message: errorText(error) });
    }
  }
}
