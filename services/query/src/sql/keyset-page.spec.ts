import { keysetPage, KeysetList } from './keyset-page';

describe('keysetPage', () => {
  const list: KeysetList<'status' | 'ruleId'> = {
    name: 'things-page',
    select: 'SELECT id FROM things',
    always: ["status <> 'pending'"],
    filters: { status: { column: 'status', type: 'text' }, ruleId: { column: 'rule_id', type: 'uuid' } },
    at: 'opened_at',
    id: 'id',
  };
  const after = { at: '2026-05-01T12:00:00.000Z', id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11' };

  it('sorts newest first and takes the limit as a parameter', () => {
    expect(keysetPage(list, {}, 51)).toEqual({
      statement: {
        name: 'things-page',
        text: "SELECT id FROM things WHERE status <> 'pending' ORDER BY opened_at DESC, id DESC LIMIT $1",
      },
      values: [51],
    });
  });

  it('filters on the columns it declares, each set of filters under a name of its own', () => {
    const page = keysetPage(list, { status: ['open'], ruleId: [after.id] }, 10, after);
    expect(page.statement.name).toBe('things-page-status-ruleId-after');
    expect(page.statement.text).toBe(
      "SELECT id FROM things WHERE status <> 'pending' AND status = ANY($1::text[]) AND rule_id = ANY($2::uuid[])" +
        ' AND (opened_at, id) < ($3::timestamptz, $4::uuid) ORDER BY opened_at DESC, id DESC LIMIT $5',
    );
    expect(page.values).toEqual([['open'], [after.id], after.at, after.id, 10]);
  });

  it('passes values only as parameters and ignores what the list does not declare', () => {
    const hostile = "open') OR 1=1 --";
    const request = { status: [hostile], 'id; DROP TABLE things': ['x'] } as Record<string, string[]>;
    const page = keysetPage(list, request, 5);
    expect(page.statement.text).not.toContain(hostile);
    expect(page.statement.text).not.toContain('DROP');
    expect(page.values).toEqual([[hostile], 5]);
  });

  it('treats an empty filter as none', () => {
    expect(keysetPage(list, { status: [] }, 5).statement.name).toBe('things-page');
  });
});
