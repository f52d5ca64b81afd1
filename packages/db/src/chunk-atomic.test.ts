import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from './pg/pg-store';
import { openSqliteStore } from './sqlite-store';
import type { ChunkCommit, Store } from './store';
import { requireTestPostgres, type TestPostgres } from './testing-pg';

/**
 * The resume promise: a chunk's points and its file offset are committed in ONE transaction.
 * A kill between two transactions is a matter of timing (crash-resume.test.ts), so here the
 * database itself refuses one of the two writes (a trigger raising an error, a real engine
 * feature): if the other write still lands, they were not one transaction. An implementation
 * that saves the offset after committing the points keeps the points of a chunk whose offset
 * was refused; one that saves the offset first keeps an offset past points it never stored.
 */
interface Engine {
  open(): Promise<{ store: Store; refuse(table: 'ingest_offsets' | 'points'): Promise<void> }>;
}

const FILE = '/logs/run-a/train.jsonl';

function chunk(from: number, to: number, offset: number): ChunkCommit {
  const rows = [];
  for (let step = from; step < to; step++) {
    rows.push({ step, metrics: { loss: 4 + 100 / (step + 10) } });
  }
  return {
    runs: [{ key: FILE }],
    points: [{ runKey: FILE, rows }],
    offset: {
      path: FILE,
      plugin: 'jsonl',
      offset,
      fingerprint: 'f'.repeat(16),
      size: offset,
      mtime: 1,
      state: null,
      runKeys: [FILE],
    },
  };
}

async function lossSteps(store: Store): Promise<number[]> {
  const run = await store.runs.get(FILE);
  if (!run) return [];
  return Array.from((await store.points.read({ runId: run.id, key: 'loss' })).steps);
}

function defineAtomicity(name: string, engine: Engine): void {
  describe(`chunk atomicity (${name})`, () => {
    it('an offset the database refuses takes the chunk’s points with it', async () => {
      const { store, refuse } = await engine.open();
      try {
        await store.ingest.commitChunk(chunk(0, 50, 1000));
        await refuse('ingest_offsets');
        await expect(store.ingest.commitChunk(chunk(50, 120, 2400))).rejects.toThrow(
          /offset write refused/,
        );
        // Exactly the first chunk: its 50 points and its offset, nothing of the refused one.
        expect(await lossSteps(store)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect((await store.counts()).points).toBe(50);
        expect((await store.ingest.getOffset({ path: FILE }))?.offset).toBe(1000);
      } finally {
        await store.close();
      }
    });

    it('points the database refuses leave the saved offset where it was', async () => {
      const { store, refuse } = await engine.open();
      try {
        await store.ingest.commitChunk(chunk(0, 30, 600));
        await refuse('points');
        await expect(store.ingest.commitChunk(chunk(30, 90, 1800))).rejects.toThrow(
          /points write refused/,
        );
        expect((await store.ingest.getOffset({ path: FILE }))?.offset).toBe(600);
        expect(await lossSteps(store)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'runcast-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

defineAtomicity('sqlite', {
  async open() {
    const path = join(dir, `store-${files++}.db`);
    const store = openSqliteStore({ path });
    return {
      store,
      async refuse(table) {
        // A second connection to the same real file, as another process would have.
        const raw = new Database(path);
        const what = table === 'points' ? 'points' : 'offset';
        for (const op of ['INSERT', 'UPDATE']) {
          raw.exec(
            `CREATE TRIGGER refuse_${table}_${op} BEFORE ${op} ON ${table} ` +
              `BEGIN SELECT RAISE(ABORT, '${what} write refused'); END`,
          );
        }
        raw.close();
      },
    };
  },
});

const cluster: TestPostgres | null = await requireTestPostgres();
if (cluster) {
  afterAll(() => cluster.stop());
  defineAtomicity('postgres', {
    async open() {
      const url = await cluster.createDatabase();
      const store = await openPostgresStore({ url });
      return {
        store,
        async refuse(table) {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          const what = table === 'points' ? 'points' : 'offset';
          try {
            await client.query(
              `CREATE FUNCTION refuse_${table}() RETURNS trigger LANGUAGE plpgsql AS ` +
                `$$ BEGIN RAISE EXCEPTION '${what} write refused'; END $$`,
            );
            await client.query(
              `CREATE TRIGGER refuse_${table} BEFORE INSERT OR UPDATE ON ${table} ` +
                `FOR EACH ROW EXECUTE FUNCTION refuse_${table}()`,
            );
          } finally {
            await client.end();
          }
        },
      };
    },
  });
} else {
  describe.skip('chunk atomicity (postgres)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}
