import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '@runcast/db';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

const CHILD = fileURLToPath(new URL('../test/ingest-child.ts', import.meta.url));
const LINES = 1_000_000;

/** Line j of the test file (ASCII: its length is its byte length). */
function lineOf(j: number): string {
  return `{"step":${j},"loss":${(4 + 1000 / (j + 100)).toFixed(6)}}\n`;
}

async function writeLines(path: string): Promise<void> {
  const out = createWriteStream(path);
  const batch = 10_000;
  for (let i = 0; i < LINES; i += batch) {
    let text = '';
    for (let j = i; j < i + batch; j++) text += lineOf(j);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

/** Runs the child ingest and SIGKILLs it once it has committed more than `killAfter` points. */
function ingestAndKill(dbPath: string, file: string, killAfter: number) {
  return new Promise<{ committed: number; killed: boolean }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dbPath, file, String(1 << 20)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let committed = 0;
    let killed = false;
    let buffered = '';
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^points (\d+)$/.exec(line);
        if (m) committed = Number(m[1]);
      }
      if (!killed && committed > killAfter) {
        killed = child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve({ committed, killed }));
  });
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a SIGKILL mid-ingest of a 1M-line file, then a re-run, ends with exactly the file's points", async () => {
    const file = join(dir, 'big.jsonl');
    const dbPath = join(dir, 'store.db');
    await writeLines(file);
    const { committed, killed } = await ingestAndKill(dbPath, file, 150_000);
    expect(killed).toBe(true);
    expect(committed).toBeGreaterThan(150_000);
    expect(committed).toBeLessThan(LINES);

    const db = openSqliteStore({ path: dbPath });
    try {
      const count = async () => (await db.counts()).points;
      // Every committed chunk is there (the kill may land after a later commit was reported).
      const afterKill = await count();
      expect(afterKill).toBeGreaterThanOrEqual(committed);
      expect(afterKill).toBeLessThan(LINES);
      // Points and offset were committed together: the stored points are exactly the first
      // `afterKill` lines (steps 0 .. afterKill - 1) and the saved offset is the byte just after
      // the last of them. An offset saved after the commit (or never) breaks one of these.
      const stored = (await db.points.read({ runId: (await db.runs.get(file))!.id, key: 'loss' }))
        .steps;
      expect({ lo: stored[0], hi: stored.at(-1) }).toEqual({ lo: 0, hi: afterKill - 1 });
      const saved = await db.ingest.getOffset({ path: file });
      let expectedOffset = 0;
      for (let j = 0; j < afterKill; j++) expectedOffset += lineOf(j).length;
      expect(saved?.offset).toBe(expectedOffset);
      const summary = await ingestPaths({
        db,
        plugins: [createJsonlPlugin(), createCsvPlugin()],
        paths: [file],
      });
      expect(summary.status).toBe('completed');
      // The re-run read only the bytes after the saved offset and wrote exactly the missing points.
      expect(summary.files[0]!.bytes).toBe(statSync(file).size - expectedOffset);
      expect(summary.points).toBe(LINES - afterKill);
      expect(await count()).toBe(LINES);
      const run = (await db.runs.get(file))!;
      expect(await db.series.get({ runId: run.id, key: 'loss' })).toMatchObject({
        points: LINES,
        firstStep: 0,
        lastStep: LINES - 1,
      });
      const again = await ingestPaths({ db, plugins: [createJsonlPlugin()], paths: [file] });
      expect(again.points).toBe(0);
    } finally {
      await db.close();
    }
  }, 60_000);
});
