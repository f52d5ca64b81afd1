import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalApi } from '@runcast/api';
import { openDb } from '@runcast/db';
import { dumpPostgresTables, dumpSqliteTables, requireTestPostgres } from '@runcast/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/** `runcast migrate-store`: a store made from real logs and pushes, copied to PostgreSQL. */
const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));
const LOGS = fileURLToPath(new URL('../../../../shared/fixtures/logs/', import.meta.url));
const cluster = await requireTestPostgres();
let dir: string;
let source: string;

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface MigrateJson {
  ok: boolean;
  resumed: boolean;
  tables: { table: string; source: number; target: number; copied: number }[];
}

const sourceRows = () => {
  const db = openDb({ path: source, migrate: false });
  try {
    return dumpSqliteTables(db);
  } finally {
    db.close();
  }
};

describe.skipIf(cluster === null)('runcast migrate-store', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runcast-migrate-'));
    source = join(dir, 'runcast.db');
    const api = openLocalApi({ db: source });
    try {
      const summary = await api.services.ingest.ingestFiles({ paths: [LOGS] });
      expect(summary.points).toBeGreaterThan(100_000);
      await api.caller.tokens.create({ name: 'trainer', scope: 'write' });
      await api.caller.ingest.push({
        project: 'pushed',
        run: 'client-run',
        schedule: { kind: 'cosine', peak: 1e-3, total: 2_000 },
        points: Array.from({ length: 120 }, (_, i) => ({
          step: (i + 1) * 10,
          metrics: { loss: i === 7 ? null : 3 / Math.sqrt(1 + i), lr: 1e-3 },
          time: 1_700_000_000 + i,
        })),
      });
      const pushed = await api.caller.runs.resolve({ ref: 'client-run' });
      await api.caller.forecasts.get({ runId: pushed.id });
    } finally {
      await api.close();
    }
  }, 120_000);

  it('copies the store exactly (every row of every table) and verifies the counts', async () => {
    const url = await cluster!.createDatabase();
    const res = runCli(['migrate-store', '--from', source, '--to', url, '--json'], { db: source });
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as MigrateJson;
    expect(out.ok).toBe(true);
    for (const t of out.tables) expect([t.table, t.target]).toEqual([t.table, t.source]);
    const want = sourceRows();
    for (const table of ['runs', 'points', 'api_tokens', 'ingest_offsets', 'forecast_cache'])
      expect(want[table]!.length, table).toBeGreaterThan(0);
    expect(await dumpPostgresTables(url)).toEqual(want);
    // The human table on stderr names each table with both counts.
    const human = runCli(['migrate-store', '--from', source, '--to', url], { db: source });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/points\s+[\d,]+\s+[\d,]+\s+0\s+ok/);
    expect(human.stderr).toContain('Verified');
    // The copy serves as the store: the pushed run and its points read back.
    const series = runCli(['series', 'client-run', '--json'], { db: url });
    expect(series.code, series.stderr).toBe(0);
    expect((JSON.parse(series.stdout) as { points: unknown[] }).points).toHaveLength(120);
  }, 120_000);

  it('resumes after a kill -9 mid-copy, without duplicates, and ends exact', async () => {
    const url = await cluster!.createDatabase();
    const child = spawn(
      process.execPath,
      [BUNDLE, 'migrate-store', '--from', source, '--to', url, '--batch', '200'],
      { env: { ...process.env, NO_COLOR: '1', RUNCAST_DB: '' }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Kill it once some batches of points are committed (and many remain).
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let copied = 0;
    try {
      for (let i = 0; i < 3_000 && copied < 2_000; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const res = await client
          .query("SELECT copied FROM runcast_migrate_store WHERE table_name = 'points'")
          .catch(() => ({ rows: [] as { copied: string }[] }));
        copied = Number(res.rows[0]?.copied ?? 0);
      }
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
      // A COMMIT the child sent just before the kill still completes on the server: wait until
      // the killed child's backends are gone, so the state read below is final.
      for (let i = 0; i < 500; i++) {
        const others = await client.query(
          'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        if (Number((others.rows[0] as { n: string }).n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const res = await client.query(
        "SELECT (SELECT COUNT(*) FROM points) AS n, (SELECT copied FROM runcast_migrate_store WHERE table_name = 'points') AS copied",
      );
      const row = res.rows[0] as { n: string; copied: string };
      // Each batch commits with its progress: what is there is what the progress says.
      expect(Number(row.n)).toBe(Number(row.copied));
      expect(Number(row.n)).toBeGreaterThan(0);
      copied = Number(row.n);
    } finally {
      await client.end();
    }
    const want = sourceRows();
    expect(copied).toBeLessThan(want.points!.length);
    const again = runCli(['migrate-store', '--from', source, '--to', url, '--json'], {
      db: source,
    });
    expect(again.code, again.stderr).toBe(0);
    const out = JSON.parse(again.stdout) as MigrateJson;
    expect(out).toMatchObject({ ok: true, resumed: true });
    const points = out.tables.find((t) => t.table === 'points')!;
    expect(points.copied).toBe(points.source - copied);
    expect(await dumpPostgresTables(url)).toEqual(want);
  }, 120_000);

  it('refuses a target that is not a PostgreSQL URL (usage) or not empty (error)', async () => {
    const bad = runCli(['migrate-store', '--from', source, '--to', join(dir, 'x.db')], {
      db: source,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to must be a postgres://');
    const missing = runCli(
      ['migrate-store', '--from', join(dir, 'none.db'), '--to', 'postgres://x@127.0.0.1:1/x'],
      {
        db: source,
      },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such SQLite store');
    const url = await cluster!.createDatabase();
    expect(runCli(['token', 'create', '--name', 'x', '--json'], { db: url }).code).toBe(0);
    const taken = runCli(['migrate-store', '--from', source, '--to', url], { db: source });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('not empty (table api_tokens has rows)');
  });
});
