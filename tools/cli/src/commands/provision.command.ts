import { Consumers, STREAMS } from '@vigil/contracts';
import { createNatsClient, Provisioner } from '@vigil/messaging';

/** Every stream and every service's durable consumer, so producers' events are kept from the start. */
export interface ProvisionSettings {
  servers: string;
  prefix: string;
  streamReplicas: number;
  producerDuplicateWindowSeconds: number;
}

export async function provisionAll(settings: ProvisionSettings): Promise<void> {
  const { servers, prefix, streamReplicas, producerDuplicateWindowSeconds } = settings;
  const client = await createNatsClient({ servers, prefix, service: 'cli' });
  try {
    const provisioner = new Provisioner(client, { streamReplicas, producerDuplicateWindowSeconds });
    await provisioner.ensureStreams(STREAMS);
    await provisioner.ensureConsumers(Object.values(Consumers));
  } finally {
    await client.connection.drain();
  }
}
