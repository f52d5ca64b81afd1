import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore } from '@runcast/db/testing';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createCsvPlugin } from '@runcast/plugin-csv';
// biome-ignore lint/style/noRestrictedImports: tests inject the real plugins, as the CLI does
import { createJsonlPlugin } from '@runcast/plugin-jsonl';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from './ingest-paths';

/** mulberry32: a small seeded generator, so every run of the test sees the same pieces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function jsonlText(rows: number): string {
  let text = '';
  for (let i = 0; i < rows; i++) {
    const extra = i % 7 === 0 ? `, "eval": {"loss": ${(3 / (i + 2)).toFixed(5)}}` : '';
    const loss = i % 50 === 49 ? 'NaN' : (4 / Math.sqrt(i + 1)).toFixed(6);
    text += `{"step": ${i * 10}, "loss": ${loss}, "lr-AdamW": ${1e-3 * (1 - i / rows)}${extra}}\n`;
  }
  return text;
}

function csvText(rows: number): string {
  let text = 'step,loss,acc\r\n';
  for (let i = 0; i < rows; i++)
    text += `${i},${(2 / (i + 1)).toFixed(5)},${i % 3 ? '' : i / rows}\r\n`;
  return text;
}

/** The stored series of a run, keyed, with NaN as a string so toEqual compares it. */
async function snapshot(db: ReturnType<typeof createTestStore>, key: string) {
  const run = (await db.runs.get(key))!;
  const out: Record<string, [number, number | string][]> = {};
  for (const s of await db.series.list({ runId: run.id })) {
    out[s.key] = (await db.points.readTuples({ runId: run.id, key: s.key })).map(([st, v]) => [
      st,
      Number.isNaN(v) ? 'NaN' : v,
    ]);
  }
  return out;
}

describe.each([
  { format: 'jsonl', name: 'run.jsonl', text: jsonlText(400) },
  { format: 'csv', name: 'run.csv', text: csvText(400) },
])('tailing $format in random pieces', ({ name, text }) => {
  it('stores exactly what a one-shot ingest of the whole file stores', async () => {
    const plugins = [createJsonlPlugin(), createCsvPlugin()];
    const dir = mkdtempSync(join(tmpdir(), 'runcast-tail-'));
    const tailed = createTestStore();
    const oneShot = createTestStore();
    try {
      const next = random(42);
      const path = join(dir, name);
      writeFileSync(path, '');
      let pos = 0;
      let written = 0;
      while (pos < text.length) {
        const piece = 1 + Math.floor(next() * 900);
        appendFileSync(path, text.slice(pos, pos + piece));
        pos += piece;
        const chunkSize = 16 + Math.floor(next() * 2000);
        const s = await ingestPaths({
          db: tailed,
          plugins,
          paths: [path],
          final: false,
          chunkSize,
        });
        written += s.points;
      }
      const last = await ingestPaths({ db: tailed, plugins, paths: [path] });
      written += last.points;
      const whole = await ingestPaths({ db: oneShot, plugins, paths: [path] });
      expect(whole.status).toBe('completed');
      expect(await snapshot(tailed, path)).toEqual(await snapshot(oneShot, path));
      expect(written).toBe(whole.points);
    } finally {
      tailed.close();
      oneShot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
