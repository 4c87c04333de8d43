import { LookupTable, parseLookupTable } from './lookup';
import { contextAt, explainYaml, globalsOnly } from './spec-support';

function table(result: ReturnType<typeof parseLookupTable>): LookupTable {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.table;
}

describe('parseLookupTable', () => {
  it('reads CSV with a header row, keyed by the first column unless told otherwise', () => {
    const csv = 'node,owner,service\nweb-01.example.com,alice,"shop, web"\ndb-01,bob,db\n';
    const byNode = table(parseLookupTable('owners', csv, 'csv'));
    expect(byNode.keyColumn).toBe('node');
    expect({ ...byNode.rows.get('web-01.example.com') }).toEqual({
      node: 'web-01.example.com',
      owner: 'alice',
      service: 'shop, web',
    });
    const byOwner = table(parseLookupTable('owners', csv, 'csv', 'owner'));
    expect(byOwner.rows.get('bob')?.node).toBe('db-01');
  });

  it('reports CSV faults with their line', () => {
    expect(parseLookupTable('t', 'node,owner\na,x\nb,y\na,z\n', 'csv')).toEqual({
      ok: false,
      errors: [{ message: 'key "a" repeats the row on line 2', path: '', line: 4 }],
    });
    expect(parseLookupTable('t', 'node,owner\na,x\n,y\n', 'csv')).toEqual({
      ok: false,
      errors: [{ message: 'row has no value in key column "node"', path: '', line: 3 }],
    });
    expect(parseLookupTable('t', 'node,owner\na,x\n', 'csv', 'team')).toEqual({
      ok: false,
      errors: [{ message: 'key column "team" is not in the header (node, owner)', path: '', line: 1 }],
    });
    const ragged = parseLookupTable('t', 'node,owner\na,x\nb,y,z\n', 'csv');
    expect(ragged.ok).toBe(false);
    if (!ragged.ok) expect(ragged.errors[0]).toMatchObject({ line: 3 });
  });

  it('reads JSON as an array of rows or an object of rows by key', () => {
    const array = table(parseLookupTable('t', '[{"node": "a", "owner": "x", "port": 80}]', 'json'));
    expect(array.keyColumn).toBe('node');
    expect({ ...array.rows.get('a') }).toEqual({ node: 'a', owner: 'x', port: '80' });
    const keyed = table(parseLookupTable('t', '{"a": {"owner": "x"}}', 'json', 'node'));
    expect({ ...keyed.rows.get('a') }).toEqual({ owner: 'x', node: 'a' });
  });

  it('reports JSON faults with line and column', () => {
    expect(parseLookupTable('t', '[\n  {"node": "a"},\n  {"node": "a"}\n]', 'json')).toEqual({
      ok: false,
      errors: [{ message: 'key "a" appears twice', path: '[1].node', line: 3, column: 12 }],
    });
    expect(parseLookupTable('t', '[\n  {"node": "a", "tags": [1]}\n]', 'json')).toEqual({
      ok: false,
      errors: [{ message: 'cell "tags" must be text or a number', path: '[0].tags', line: 2, column: 25 }],
    });
    const broken = parseLookupTable('t', '[\n  {"node": }\n]', 'json');
    expect(broken).toMatchObject({ ok: false, errors: [{ line: 2, column: 12 }] });
  });
});

describe('the lookup action', () => {
  const owners = table(
    parseLookupTable('owners', 'node,owner,service,tier\nweb-01.example.com,alice,shop,gold\n', 'csv'),
  );
  const rules = globalsOnly(
    '- name: enrich\n  all: true\n  lookup: { table: owners, key: "{node}", set: { owner: owner, service: service, labels.tier: tier, team: missing } }',
  );

  it('copies columns of the row found into fields, and says so in the trace', () => {
    const explained = explainYaml(rules, {}, contextAt(undefined, [owners]));
    expect(explained.event).toMatchObject({
      owner: 'alice',
      service: 'shop',
      labels: { env: 'prod', tier: 'gold' },
    });
    expect(explained.trace[0]).toMatchObject({
      notes: [
        'lookup owners["web-01.example.com"]: found',
        'lookup owners["web-01.example.com"]: no column "missing"',
      ],
    });
  });

  it('changes nothing on a miss or when the table is not loaded', () => {
    const miss = explainYaml(rules, { node: 'db-9' }, contextAt(undefined, [owners]));
    expect(miss.event).not.toHaveProperty('owner');
    expect(miss.trace[0]).toMatchObject({
      changes: [],
      notes: ['lookup owners["db-9"]: no row; nothing changed'],
    });
    const unloaded = explainYaml(rules);
    expect(unloaded.event).not.toHaveProperty('owner');
    expect(unloaded.trace[0]).toMatchObject({ notes: ['lookup owners: table not loaded; nothing changed'] });
  });
});
