import { AcceptedEventV1, StreamNames } from '@vigil/contracts';
import { PrivateNats, startPrivateNats, startTestService, TestService, waitFor } from '@vigil/testing';
import { ingestService } from '../src/service';

/**
 * Ingest against a NATS that wants a password over TLS from a private CA, configured only through
 * the environment: it provisions, becomes ready and publishes an accepted event.
 */
describe('ingest on a NATS with credentials and TLS', () => {
  let nats: PrivateNats;
  let service: TestService;

  beforeAll(async () => {
    nats = await startPrivateNats({
      tls: true,
      auth: { users: [{ user: 'ingest', password: 'ingest-pw-7' }] },
    });
    service = await startTestService(ingestService, {
      NATS_URL: nats.url,
      NATS_USER: 'ingest',
      NATS_PASSWORD: 'ingest-pw-7',
      NATS_TLS_CA_FILE: nats.tls!.caFile,
      INGEST_AUTH: 'off',
      SYSLOG_UDP_PORT: '-1',
      SYSLOG_TCP_PORT: '-1',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await nats?.stop();
  });

  it('is ready, with NATS answering', async () => {
    const response = await fetch(`${service.url}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { info: { nats: { status: string; server: string } } };
    expect(body.info.nats.status).toBe('up');
    expect(nats.urls.map((url) => url.replace('tls://', ''))).toContain(body.info.nats.server);
  });

  it('publishes accepted events to the private server', async () => {
    const response = await fetch(`${service.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'tls',
        node: 'n1',
        type: 'Probe',
        severity: 'minor',
        summary: 'over TLS',
      }),
    });
    expect(response.status).toBe(202);
    const accepted = await waitFor('the accepted event', async () => {
      const messages = await service.nats.readStream(StreamNames.EventsAccepted);
      return messages.length ? messages.map((m) => m.json<AcceptedEventV1>()) : undefined;
    });
    expect(accepted[0]).toMatchObject({ source: 'tls', node: 'n1', summary: 'over TLS' });
  });
});
