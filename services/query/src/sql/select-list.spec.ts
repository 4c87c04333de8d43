import { selectList } from './select-list';

describe('selectList', () => {
  it('reads each field from its snake_case column, quoted, under the field name', () => {
    expect(
      selectList<{ id: string; at: Date; previousSeverity: string | null; ruleSetVersion: string }>({
        id: true,
        at: true,
        previousSeverity: true,
        ruleSetVersion: true,
      }),
    ).toBe('"id", "at", "previous_severity" AS "previousSeverity", "rule_set_version" AS "ruleSetVersion"');
  });
});
