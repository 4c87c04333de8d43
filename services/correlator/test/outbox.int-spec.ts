import { AlertChangedV1, StreamNames, Subjects } from '@vigil/contracts';
import { classifiedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { CorrelationService } from '../src/alerts/correlation.service';
import { OutboxPoller } from '../src/outbox';
import { correlatorService } from '../src/service';

describe('the outbox (real NATS and Postgres)', () => {
  let service: TestService;
  let db: DataSource;

  const outboxRows = async (token: string) =>
    db.query<{ msg_id: string }[]>('SELECT msg_id FROM correlator.outbox WHERE token = $1', [token]);
  const announced = async () =>
    (await service.nats.readStream(StreamNames.AlertsChanged)).map((m) => ({
      subject: m.subject,
      msgId: m.headers?.get('Nats-Msg-Id'),
      change: m.json<Partial<AlertChangedV1>>(),
    }));

  beforeAll(async () => {
    // The relay polls once a minute and leaves a row to its writer for ten: whatever is announced
    // within a test was published by the transaction's writer, or by a relay the test kicked.
    service = await startTestService(correlatorService, {
      OUTBOX_POLL_INTERVAL_MS: '60000',
      OUTBOX_LEASE_MS: '600000',
    });
    db = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('publishes a change as soon as its transaction commits, and then removes its row', async () => {
    const event = classifiedEvent({ fingerprint: 'fp-outbox-born' });
    const [outcome] = await service.app.get(CorrelationService).correlate([{ event, headers: {} }]);
    expect(outcome).toMatchObject({ result: 'recorded', change: 'opened' });
    const [message] = await waitFor('the change announced by its writer', async () => {
      const found = (await announced()).filter((m) => m.change.causeEventId === event.id);
      return found.length ? found : undefined;
    });
    expect(message.change).toMatchObject({ change: 'opened', sequence: 1 });
    await waitFor('its outbox row removed', async () => {
      const [row] = await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM correlator.outbox WHERE msg_id = $1`,
        [message.msgId],
      );
      return row.n === 0;
    });
  });

  it('relays the rows a writer left behind once their lease is over, and not before', async () => {
    // Two rows as a writer that died after its commit leaves them: one queued 20 minutes ago (its
    // lease is over), one just now.
    await db.query(
      `INSERT INTO correlator.outbox (family, token, msg_id, payload, created_at)
       VALUES ($1, 'outbox-left', 'outbox-left-old', '{"n":1}', now() - interval '20 minutes'),
              ($1, 'outbox-left', 'outbox-left-new', '{"n":2}', now())`,
      [Subjects.AlertsChanged],
    );
    service.app.get(OutboxPoller).kick();
    // Both rows were before the one claim of that pass: the old one relayed means the new one was
    // seen and left alone.
    await waitFor('the old row relayed and removed', async () => {
      const rows = await outboxRows('outbox-left');
      return rows.length === 1 && rows;
    });
    expect(await outboxRows('outbox-left')).toEqual([{ msg_id: 'outbox-left-new' }]);
    const ids = (await announced()).map((m) => m.msgId);
    expect(ids).toContain('outbox-left-old');
    expect(ids).not.toContain('outbox-left-new');
  });
});
