import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from './pg/pg-store';
import type { Store } from './store';
import { defineStoreEdges } from './store-edges-suite';
import { requireTestPostgres, type TestPostgres } from './testing-pg';

// A throw-away cluster for this file; each test gets a fresh database with the real migrations.
const cluster: TestPostgres | null = await requireTestPostgres();

if (cluster) {
  afterAll(() => cluster.stop());
  defineStoreEdges('postgres', async () =>
    openPostgresStore({ url: await cluster.createDatabase() }),
  );

  // What only PostgreSQL has: rows read beside the store, and row locks held by other sessions.
  describe('store edges (postgres only)', () => {
    let url: string;
    let db: Store;
    let side: pg.Client;
    beforeEach(async () => {
      url = await cluster.createDatabase();
      db = await openPostgresStore({ url });
      side = new pg.Client({ connectionString: url });
      await side.connect();
    });
    afterEach(async () => {
      await side.end();
      await db.close();
    });

    it('stores exactly the SHA-256 hex of a token secret, computed here', async () => {
      const { secret, token } = await db.tokens.create({ name: 'ci', scope: 'write' });
      expect(secret).toMatch(/^rc_[A-Za-z0-9_-]{43}$/);
      const { rows } = await side.query('SELECT hash FROM api_tokens WHERE id = $1', [token.id]);
      expect(rows).toEqual([{ hash: createHash('sha256').update(secret, 'utf8').digest('hex') }]);
      // The stored hash is not itself a secret that verifies.
      expect(await db.tokens.verify({ secret: rows[0].hash })).toBeUndefined();
    });

    it('locks the series of one write in id order, whatever order the batch names them in', async () => {
      const runId = (await db.runs.upsert({ key: 'r' })).id;
      const a = await db.series.ensure({ runId, key: 'a' });
      const b = await db.series.ensure({ runId, key: 'b' });
      expect(b).toBeGreaterThan(a);
      // Another session holds series b; a write naming b before a must still take a first.
      await side.query('BEGIN');
      await side.query('SELECT id FROM series WHERE id = $1 FOR UPDATE', [b]);
      const write = db.points.appendSeries({
        runId,
        series: [
          { key: 'b', seriesId: b, steps: [1], values: [2] },
          { key: 'a', seriesId: a, steps: [1], values: [1] },
        ],
      });
      // Wait until the write is blocked on a row lock.
      for (let waited = 0; ; waited += 20) {
        const { rows } = await side.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0].n > 0) break;
        if (waited > 10_000) throw new Error('the write never waited for the lock on series b');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // It holds a already: a second session cannot take it.
      const probe = new pg.Client({ connectionString: url });
      await probe.connect();
      try {
        await probe.query('BEGIN');
        await expect(
          probe.query('SELECT id FROM series WHERE id = $1 FOR UPDATE NOWAIT', [a]),
        ).rejects.toMatchObject({ code: '55P03' });
        await probe.query('ROLLBACK');
      } finally {
        await probe.end();
      }
      await side.query('COMMIT');
      expect(await write).toEqual({ inserted: 2, replaced: 0, unchanged: 0 });
      expect(await db.points.readTuples({ seriesId: a })).toEqual([[1, 1]]);
      expect(await db.points.readTuples({ seriesId: b })).toEqual([[1, 2]]);
    });
  });
} else {
  describe.skip('store edges (postgres)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}
