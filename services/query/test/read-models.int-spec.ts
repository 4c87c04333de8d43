import { createTestDatabase, entityColumnMismatches, TestDatabase } from '@vigil/testing';
import { ALERT_READ_MODELS } from '../src/alerts/alerts.module';
import { INCIDENT_READ_MODELS } from '../src/incidents/incidents.module';

describe('query read models (real Postgres)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it("map onto the correlator's tables as its migrations define them", async () => {
    expect(
      await entityColumnMismatches(database.url, [...ALERT_READ_MODELS, ...INCIDENT_READ_MODELS]),
    ).toEqual([]);
  });
});
