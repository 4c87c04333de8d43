import { DynamicModule, INestApplication, Module, OnModuleInit } from '@nestjs/common';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import { STREAMS } from '@vigil/contracts';
import { ContractPipe, PassThroughRpcErrors } from './contract.pipe';
import { JetStreamTransport } from './jetstream.transport';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient, natsClientProvider } from './nats.client';
import { NatsHealthIndicator } from './nats.health';
import { Provisioner } from './provisioning';
import { EventPublisher } from './publisher';
import { RpcClient } from './rpc.client';

/** Connects to NATS and, before anything consumes, converges streams and this service's consumers. */
class StartupProvisioning implements OnModuleInit {
  constructor(
    private readonly provisioner: Provisioner,
    private readonly options: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.provisioner.ensureStreams(STREAMS);
    await this.provisioner.ensureConsumers(this.options.consumers);
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        natsClientProvider,
        MessagingMetrics,
        Provisioner,
        EventPublisher,
        RpcClient,
        JetStreamTransport,
        NatsHealthIndicator,
        {
          provide: StartupProvisioning,
          inject: [Provisioner, MESSAGING_OPTIONS],
          useFactory: (provisioner: Provisioner, opts: MessagingOptions) =>
            new StartupProvisioning(provisioner, opts),
        },
      ],
      exports: [
        MESSAGING_OPTIONS,
        NatsClient,
        EventPublisher,
        RpcClient,
        Provisioner,
        JetStreamTransport,
        NatsHealthIndicator,
      ],
    };
  }
}

/**
 * Attaches the JetStream transport to an initialised HTTP application: `@EventPattern` and
 * `@MessagePattern` handlers get validated payloads, and their errors reach the transport unchanged.
 * The microservice's initialisation is deferred so that its global pipe and filter apply (Nest
 * ignores them on an already initialised hybrid microservice); its init hooks are marked done
 * because the application already ran them.
 */
export function connectJetStream(app: INestApplication): void {
  const microservice = app.connectMicroservice<MicroserviceOptions>(
    { strategy: app.get(JetStreamTransport) },
    { deferInitialization: true },
  ) as NestMicroservice;
  microservice.setIsInitHookCalled(true);
  microservice.useGlobalPipes(new ContractPipe());
  microservice.useGlobalFilters(new PassThroughRpcErrors());
}
