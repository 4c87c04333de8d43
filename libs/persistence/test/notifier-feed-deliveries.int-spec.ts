import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, runMigrations } from '../src';
import { uniqueDatabaseUrl } from '@vigil/testing';

/** Undoes migrations, newest first, until `name` is the last one undone. */
async function revertThrough(url: string, name: string): Promise<void> {
  const dataSource: DataSource = createDataSource({ url, applicationName: 'test' });
  await dataSource.initialize();
  try {
    for (;;) {
      const [last] = await dataSource.query<{ name: string }[]>(
        `SELECT name FROM vigil_migrations ORDER BY id DESC LIMIT 1`,
      );
      await dataSource.undoLastMigration({ transaction: 'each' });
      if (last.name === name) return;
    }
  } finally {
    await dataSource.destroy();
  }
}

const ALERT = '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11';
const key = (sequence: number) => `alert:${ALERT}:${sequence}:webhook:0123456789abcdef`;

describe('the transition feed moving into the delivery log (real Postgres)', () => {
  const url = uniqueDatabaseUrl();
  let client: Client;

  beforeAll(async () => {
    await runMigrations(url);
    await revertThrough(url, 'NotifierFeedDeliveries1797000000000');
    client = new Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropDatabase(url);
  });

  it("keeps the last day's sends as sent deliveries under the same keys, and drops the log", async () => {
    await client.query(
      `INSERT INTO notifier.notification_log
         (dedup_key, alert_id, alert_sequence, change, channel, target, status, attempts, sent_at)
       VALUES ($1, $5, 1, 'opened', 'webhook', 'https://hooks.example/a', 'sent', 2, now() - interval '1 hour'),
              ($2, $5, 2, 'resolved', 'webhook', 'https://hooks.example/a', 'sent', 1, now() - interval '2 days'),
              ($3, $5, 3, 'reopened', 'webhook', 'https://hooks.example/a', 'failed', 12, NULL),
              ($4, $5, 4, 'flapping_started', 'webhook', 'https://hooks.example/a', 'sending', 1, NULL)`,
      [key(1), key(2), key(3), key(4), ALERT],
    );

    await runMigrations(url);

    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT dedup_key, kind, target, channel_type, status, attempts, page_id FROM notifier.deliveries`,
    );
    expect(rows).toEqual([
      {
        dedup_key: key(1),
        kind: 'triggered',
        target: 'feed:0123456789abcdef',
        channel_type: 'webhook',
        status: 'sent',
        attempts: 2,
        page_id: null,
      },
    ]);
    const { rows: log } = await client.query(`SELECT to_regclass('notifier.notification_log') AS log`);
    expect(log).toEqual([{ log: null }]);
  });

  it('puts the feed back in its own log when reverted, leaving the pages deliveries alone', async () => {
    await client.query(
      `INSERT INTO notifier.deliveries (dedup_key, kind, target, channel_type, status, attempts, payload)
       VALUES ($1, 'resolved', 'feed:0123456789abcdef', 'webhook', 'pending', 0,
               jsonb_build_object('transition', jsonb_build_object('change', 'resolved'))),
              ('page:x:1:notify:0.0.0:channel:ops', 'triggered', 'channel:ops', 'slack', 'sent', 1, '{}')`,
      [key(5)],
    );

    await revertThrough(url, 'NotifierFeedDeliveries1797000000000');

    const { rows: log } = await client.query<Record<string, unknown>>(
      `SELECT dedup_key, alert_id, alert_sequence, change, status FROM notifier.notification_log ORDER BY dedup_key`,
    );
    expect(log).toEqual([
      { dedup_key: key(1), alert_id: ALERT, alert_sequence: 1, change: 'opened', status: 'sent' },
      { dedup_key: key(5), alert_id: ALERT, alert_sequence: 5, change: 'resolved', status: 'failed' },
    ]);
    const { rows } = await client.query<{ target: string }>(`SELECT target FROM notifier.deliveries`);
    expect(rows).toEqual([{ target: 'channel:ops' }]);

    await runMigrations(url);
  });
});
