import { declaredVariables } from '@vigil/config';
import { readmeSettingsGaps } from '@vigil/testing';
import { NotifierEnv } from './notifier.env';

describe('the notifier settings', () => {
  it("are exactly what the README's configuration table lists for the notifier", () => {
    expect(readmeSettingsGaps('notifier', declaredVariables(NotifierEnv))).toEqual({
      undocumented: [],
      notRead: [],
    });
  });
});
