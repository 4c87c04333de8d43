import { declaredVariables } from '@vigil/config';
import { readmeSettingsGaps } from '@vigil/testing';
import { ClassifierEnv } from './classifier.env';

describe('the classifier settings', () => {
  it("are exactly what the README's configuration table lists for the classifier", () => {
    expect(readmeSettingsGaps('classifier', declaredVariables(ClassifierEnv))).toEqual({
      undocumented: [],
      notRead: [],
    });
  });
});
