import { createDataSource, RuleSetRepository } from '@vigil/persistence';
import { acceptedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import type { DataSource } from 'typeorm';
import { classifierService } from '../src/service';
import { RuleSetVersionEntity } from '../src/storage/rule-set-version.entity';
import { CLASSIFIER_ENTITIES } from '../src/storage/storage.module';
import { httpClient, HttpClient, metricValue } from './http-client';
import { classifiedById, publishAccepted } from './pipeline';

const rulesSetting = (category: string) => `globals:
  rules:
    - name: disk full
      match: { summary: disk }
      category: ${category}
`;

const sample = {
  source: 'demo',
  node: 'web-1',
  type: 'DiskFull',
  summary: 'disk 95% full',
  severity: 'major',
};

/** What a replica would make of a disk event with the rules it holds right now. */
async function categoryOn(http: HttpClient): Promise<string> {
  const answer = await http.post<{ results: { output: { category: string } }[] }>('/api/v1/rules/dry-run', {
    json: { events: [sample] },
  });
  return answer.body.results[0].output.category;
}

async function versionOn(http: HttpClient): Promise<number | undefined> {
  return metricValue((await http.get<string>('/metrics')).text, 'vigil_classifier_rule_set_version');
}

describe('hot reload across replicas (real NATS and Postgres)', () => {
  // Polling is made too slow to matter, so what B picks up within a second came by the broadcast.
  const noPolling = { RULES_POLL_INTERVAL_MS: '3600000' };
  let a: TestService;
  let b: TestService;
  let polling: TestService;
  let httpA: HttpClient;
  let httpB: HttpClient;
  let dataSource: DataSource;

  beforeAll(async () => {
    a = await startTestService(classifierService, noPolling);
    b = await startTestService(classifierService, noPolling, { shareWith: a });
    polling = await startTestService(classifierService, { RULES_POLL_INTERVAL_MS: '200' }, { shareWith: a });
    httpA = httpClient(a.url);
    httpB = httpClient(b.url);
    dataSource = createDataSource({
      url: a.database.url,
      applicationName: 'hot-reload-test',
      poolSize: 1,
      entities: CLASSIFIER_ENTITIES,
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    // The replicas first: `a` owns the database and streams they share.
    await b?.stop();
    await polling?.stop();
    await a?.stop();
  });

  it('applies a rule set saved through one replica on another within a second', async () => {
    expect(await categoryOn(httpB)).toBe('operational');
    expect(await versionOn(httpB)).toBe(0);

    const saved = await httpA.put<{ version: number }>('/api/v1/rules', { text: rulesSetting('os') });
    expect(saved.status).toBe(201);
    const savedAt = Date.now();
    // A answers only once it applies the version itself.
    expect(await categoryOn(httpA)).toBe('os');

    await waitFor('replica B on version 1', async () => (await categoryOn(httpB)) === 'os', {
      timeoutMs: 1000,
      intervalMs: 20,
    });
    expect(Date.now() - savedAt).toBeLessThan(1000);
    expect(await versionOn(httpB)).toBe(1);
  });

  it('classifies with the new rules whichever replica takes the events', async () => {
    const events = Array.from({ length: 20 }, (_, i) =>
      acceptedEvent({ source: 'demo', summary: `disk ${i}% full` }),
    );
    await publishAccepted(a.nats, events);
    const classified = await waitFor('every event classified', async () => {
      const byId = await classifiedById(a.nats);
      return events.every((event) => byId.has(event.id)) ? byId : undefined;
    });
    for (const event of events) {
      expect(classified.get(event.id)).toMatchObject({
        category: 'os',
        classification: { ruleSetVersion: '1' },
      });
    }
  });

  it('picks up a version whose notice was lost at the next poll', async () => {
    // Written straight to Postgres: no replica is told, as if the broadcast had been lost.
    await new RuleSetRepository(dataSource, RuleSetVersionEntity).save({
      content: rulesSetting('hardware'),
      format: 'yaml',
      author: 'dba',
    });
    const pollingHttp = httpClient(polling.url);
    await waitFor(
      'the polling replica on version 2',
      async () => (await categoryOn(pollingHttp)) === 'hardware',
      {
        timeoutMs: 5000,
      },
    );
    // The replicas that poll hourly still run version 1: what reached the other one was the poll.
    expect(await categoryOn(httpB)).toBe('os');
    expect(await versionOn(httpB)).toBe(1);
  });
});
