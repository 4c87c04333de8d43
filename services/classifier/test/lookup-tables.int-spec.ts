import { ClassifiedEventV1 } from '@vigil/contracts';
import { acceptedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { classifierService } from '../src/service';
import { ErrorBody, httpClient, HttpClient } from './http-client';
import { classifiedById, publishAccepted } from './pipeline';

const OWNERS_V1 = `node,team,owner
web-1,web,alice
db-1,dba,bob
`;

const OWNERS_V2 = `node,team,owner
web-1,frontend,dave
db-1,dba,bob
`;

const ENRICH = `globals:
  rules:
    - name: owners
      all: true
      lookup: { table: owners, key: '{node}', set: { team: team, owner: owner } }
`;

interface TableView {
  name: string;
  version: number;
  keyColumn: string;
  format: string;
  author: string;
  rows: number;
  columns: string[];
}

describe('lookup tables (real NATS and Postgres)', () => {
  let service: TestService;
  let http: HttpClient;

  beforeAll(async () => {
    service = await startTestService(classifierService);
    http = httpClient(service.url);
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function classify(node: string): Promise<ClassifiedEventV1> {
    const event = acceptedEvent({ source: 'demo', node });
    await publishAccepted(service.nats, [event]);
    return waitFor(`event of ${node} classified`, async () =>
      (await classifiedById(service.nats)).get(event.id),
    );
  }

  it('refuses a table with errors, naming their lines, and saves nothing', async () => {
    const duplicate = await http.put<ErrorBody>('/api/v1/tables/owners?key=node', {
      text: 'node,team\nweb-1,web\nweb-1,ops\n',
      contentType: 'text/csv',
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('web-1') }),
    ]);

    const noKey = await http.put<ErrorBody>('/api/v1/tables/owners?key=host', {
      text: OWNERS_V1,
      contentType: 'text/csv',
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toContain('host');

    expect(
      (await http.put<ErrorBody>('/api/v1/tables/bad%20name', { text: OWNERS_V1, contentType: 'text/csv' }))
        .status,
    ).toBe(400);
    expect((await http.get<{ tables: unknown[] }>('/api/v1/tables')).body).toEqual({ tables: [] });
  });

  it('uploads a CSV table that a rule enriches events from', async () => {
    const uploaded = await http.put<TableView>('/api/v1/tables/owners?key=node', {
      text: OWNERS_V1,
      contentType: 'text/csv',
      headers: { 'X-Vigil-Author': 'alice' },
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({
      name: 'owners',
      version: 1,
      keyColumn: 'node',
      format: 'csv',
      author: 'alice',
      rows: 2,
      columns: ['node', 'team', 'owner'],
    });

    const saved = await http.put<{ version: number; missingTables: string[] }>('/api/v1/rules', {
      text: ENRICH,
    });
    expect(saved.body).toMatchObject({ version: 1, missingTables: [] });

    expect(await classify('web-1')).toMatchObject({
      team: 'web',
      owner: 'alice',
      classification: { matchedRules: ['globals/owners'] },
    });
    const unknown = await classify('mail-1');
    expect(unknown.team).toBeUndefined();
  });

  it('applies a new version of the table without a restart', async () => {
    const updated = await http.put<TableView>('/api/v1/tables/owners?key=node', {
      text: OWNERS_V2,
      contentType: 'text/csv',
    });
    expect(updated.body).toMatchObject({ version: 2, author: 'anonymous' });
    expect(await classify('web-1')).toMatchObject({ team: 'frontend', owner: 'dave' });
  });

  it('lists tables and shows rows', async () => {
    const list = await http.get<{ tables: TableView[] }>('/api/v1/tables');
    expect(list.body.tables).toEqual([expect.objectContaining({ name: 'owners', version: 2, rows: 2 })]);
    const rows = await http.get<{ version: number; rows: Record<string, string>[] }>('/api/v1/tables/owners');
    expect(rows.body.version).toBe(2);
    expect(rows.body.rows).toEqual([
      { node: 'web-1', team: 'frontend', owner: 'dave' },
      { node: 'db-1', team: 'dba', owner: 'bob' },
    ]);
    expect((await http.get('/api/v1/tables/nothing')).status).toBe(404);
  });

  it('takes JSON: an array of rows, or {content, format, key}', async () => {
    const rows = await http.put<TableView>('/api/v1/tables/services?key=service', {
      json: [
        { service: 'checkout', tier: '1' },
        { service: 'search', tier: '2' },
      ],
    });
    expect(rows.status).toBe(201);
    expect(rows.body).toMatchObject({ name: 'services', format: 'json', keyColumn: 'service', rows: 2 });

    const wrapped = await http.put<TableView>('/api/v1/tables/sites', {
      json: { content: 'site,region\nfra,eu\n', format: 'csv', key: 'site', author: 'erin' },
    });
    expect(wrapped.body).toMatchObject({ name: 'sites', version: 1, author: 'erin', rows: 1 });

    const badJson = await http.put<ErrorBody>('/api/v1/tables/broken', {
      json: { content: '[{"a": 1},\n {"a": {"nested": true}}]', format: 'json' },
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.errors[0]).toMatchObject({ line: 2 });
  });

  it('deletes a table: rules then find nothing, and rule saves warn about it', async () => {
    const deleted = await http.delete<{ version: number; deleted: boolean }>('/api/v1/tables/owners');
    expect(deleted.body).toEqual({ name: 'owners', version: 3, deleted: true });
    expect((await http.get('/api/v1/tables/owners')).status).toBe(404);
    expect((await http.delete('/api/v1/tables/owners')).status).toBe(404);
    expect((await classify('web-1')).team).toBeUndefined();

    const validated = await http.post<{ missingTables: string[] }>('/api/v1/rules/validate', {
      text: ENRICH,
    });
    expect(validated.body.missingTables).toEqual(['owners']);
  });
});
