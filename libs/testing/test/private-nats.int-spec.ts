import { existsSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DEFAULT_NATS_URL } from '@vigil/config';
import { isReachable } from '@vigil/launcher';
import { startPrivateNats } from '../src';

const portOf = (url: string) => Number(new URL(url).port);

describe('startPrivateNats', () => {
  it("keeps a stopped node's store across restart, and stop() removes only what it made", async () => {
    const nats = await startPrivateNats({ auth: { token: 'private-token' } });
    const port = portOf(nats.urls[0]);
    try {
      const nc = await connect({ servers: nats.url, token: 'private-token' });
      await (await jetstreamManager(nc)).streams.add({ name: 'KEPT', subjects: ['kept.>'] });
      await nc.close();

      await nats.kill(0);
      expect(await isReachable('127.0.0.1', port)).toBe(false);
      await nats.restart(0);

      const again = await connect({ servers: nats.url, token: 'private-token' });
      expect((await (await jetstreamManager(again)).streams.info('KEPT')).config.name).toBe('KEPT');
      await again.close();
    } finally {
      await nats.stop();
    }
    expect(existsSync(nats.dir)).toBe(false);
    expect(await isReachable('127.0.0.1', port)).toBe(false);
    // The machine's shared server is not one of ours and still answers.
    const shared = new URL(process.env.NATS_URL ?? DEFAULT_NATS_URL);
    expect(await isReachable(shared.hostname, Number(shared.port))).toBe(true);
  });

  it('refuses connections without the token', async () => {
    const nats = await startPrivateNats({ auth: { token: 'private-token' } });
    try {
      await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(
        /Authorization Violation/i,
      );
    } finally {
      await nats.stop();
    }
  });
});
