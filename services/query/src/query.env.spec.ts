import { declaredVariables } from '@vigil/config';
import { readmeSettingsGaps } from '@vigil/testing';
import { QueryEnv } from './query.env';

describe('the query settings', () => {
  it("are exactly what the README's configuration table lists for the query", () => {
    expect(readmeSettingsGaps('query', declaredVariables(QueryEnv))).toEqual({
      undocumented: [],
      notRead: [],
    });
  });
});
