import { Consumers, STREAMS } from '@vigil/contracts';
import { createNatsClient, MessagingEnvOptions, Provisioner } from '@vigil/messaging';

/**
 * Every stream and every service's durable consumer, so producers' events are kept from the start.
 * `settings` come from `messagingOptionsFromEnv`.
 */
export async function provisionAll(settings: MessagingEnvOptions): Promise<void> {
  const { streamReplicas, producerDuplicateWindowSeconds } = settings;
  const client = await createNatsClient({ ...settings, service: 'cli' });
  try {
    const provisioner = new Provisioner(client, { streamReplicas, producerDuplicateWindowSeconds });
    await provisioner.ensureStreams(STREAMS);
    await provisioner.ensureConsumers(Object.values(Consumers));
  } finally {
    await client.connection.drain();
  }
}
