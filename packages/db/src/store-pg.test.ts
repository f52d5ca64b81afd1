import { afterAll, describe, it } from 'vitest';
import { openPostgresStore } from './pg/pg-store';
import { defineReplaceFileSuite } from './replace-file-suite';
import { defineStoreSuite } from './store-suite';
import { requireTestPostgres, type TestPostgres } from './testing-pg';

// A throw-away cluster for this file; each test gets a fresh database with the real migrations.
const cluster: TestPostgres | null = await requireTestPostgres();

if (cluster) {
  afterAll(() => cluster.stop());
  defineStoreSuite('postgres', async () =>
    openPostgresStore({ url: await cluster.createDatabase() }),
  );
  defineReplaceFileSuite('postgres', async () =>
    openPostgresStore({ url: await cluster.createDatabase() }),
  );
} else {
  describe.skip('store (postgres)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}
