import { createTestDatabase, entityColumnMismatches, TestDatabase } from '@vigil/testing';
import { CORRELATOR_ENTITIES } from '../src/correlator.entities';

describe('correlator entities (real Postgres)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('map onto its tables as the migrations define them', async () => {
    expect(await entityColumnMismatches(database.url, CORRELATOR_ENTITIES)).toEqual([]);
  });
});
