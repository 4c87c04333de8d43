import { declaredVariables } from '@vigil/config';
import { readmeSettingsGaps } from '@vigil/testing';
import { CorrelatorEnv } from './correlator.env';

describe('the correlator settings', () => {
  it("are exactly what the README's configuration table lists for the correlator", () => {
    expect(readmeSettingsGaps('correlator', declaredVariables(CorrelatorEnv))).toEqual({
      undocumented: [],
      notRead: [],
    });
  });
});
