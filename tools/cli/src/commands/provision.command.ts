import { Consumers, STREAMS } from '@vigil/contracts';
import { createNatsClient, Provisioner } from '@vigil/messaging';

/** Every stream and every service's durable consumer, so producers' events are kept from the start. */
export async function provisionAll(servers: string, prefix: string, streamReplicas: number): Promise<void> {
  const client = await createNatsClient({ servers, prefix, service: 'cli' });
  try {
    const provisioner = new Provisioner(client, { streamReplicas });
    await provisioner.ensureStreams(STREAMS);
    await provisioner.ensureConsumers(Object.values(Consumers));
  } finally {
    await client.connection.drain();
  }
}
