import { declaredVariables } from '@vigil/config';
import { readmeSettingsGaps } from '@vigil/testing';
import { IngestEnv } from './ingest.env';

describe('the ingest settings', () => {
  it("are exactly what the README's configuration table lists for the ingest", () => {
    expect(readmeSettingsGaps('ingest', declaredVariables(IngestEnv))).toEqual({
      undocumented: [],
      notRead: [],
    });
  });
});
