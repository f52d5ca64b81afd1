/**
 * `pnpm bench ingest --db postgres://...`: the PostgreSQL store.
 * 1. A 1,000,000-point JSONL file ingested through @runcast/ingest (commitChunk per 1 MiB chunk:
 *    multi-row INSERT ... ON CONFLICT from unnest()ed arrays) vs a bare COPY of the same points
 *    into the same table, measured in the same run (target: ingest within 2x of the COPY).
 * 2. That 1M-point series read to 2,000 points through the API (series.points over HTTP, min/max
 *    per bucket): the first (cold: downsampled by PostgreSQL in one aggregate query while the
 *    columns load) read and the p50/p95 of the next 40 (from memory; target p50 < 50 ms), a zoomed
 *    range; and PostgreSQL's downsampling alone against reading the 1M rows out.
 * Writes into the given database (runs named bench-*, deleted at the end).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createServer } from '../packages/api/src/index';
import { openPostgresStore } from '../packages/db/src/index';
import { ingestPaths } from '../packages/ingest/src/index';
import { createJsonlPlugin } from '../plugins/jsonl/src/index';
import { saveBenchJson } from './lib/measure';

export async function benchPostgresIngest(options: {
  url: string;
  rowValues: (i: number) => number[];
  metrics: readonly string[];
}): Promise<void> {
  const { url, rowValues, metrics } = options;
  const N = 1_000_000;
  const rows = N / metrics.length;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-pg-'));
  const store = await openPostgresStore({ url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The baseline: the same points, pre-built as COPY text, into the same table.
    const bareRun = await store.runs.upsert({ key: `bench-bare-${Date.now()}` });
    const ids: number[] = [];
    for (const key of metrics) ids.push(await store.series.ensure({ runId: bareRun.id, key }));
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const v = rowValues(i);
      for (let m = 0; m < metrics.length; m++) lines.push(`${ids[m]}\t${i}\t${v[m]}\t\\N\n`);
    }
    const tCopy = performance.now();
    await pipeline(
      Readable.from(chunks(lines, 10_000)),
      client.query(copyFrom('COPY points (series_id, step, value, wall_time) FROM STDIN')),
    );
    const copySeconds = (performance.now() - tCopy) / 1000;
    console.log(
      `bare COPY of ${fmt(N)} points: ${fmt(N / copySeconds)} points/s (${copySeconds.toFixed(2)} s)`,
    );

    // Ingest of the same points from a JSONL file.
    const file = join(dir, `bench-ingest-${Date.now()}.jsonl`);
    const out = createWriteStream(file);
    for (let i = 0; i < rows; i++) {
      const v = rowValues(i);
      out.write(`{"step":${i},${metrics.map((k, m) => `"${k}":${v[m]}`).join(',')}}\n`);
    }
    await new Promise<void>((r) => out.end(() => r()));
    const tIngest = performance.now();
    const summary = await ingestPaths({ db: store, plugins: [createJsonlPlugin()], paths: [file] });
    const ingestSeconds = (performance.now() - tIngest) / 1000;
    if (summary.points !== N) throw new Error(`ingested ${summary.points} of ${N} points`);
    console.log(
      `ingest (jsonl, commitChunk per 1 MiB): ${fmt(N / ingestSeconds)} points/s (${ingestSeconds.toFixed(2)} s), ` +
        `${(ingestSeconds / copySeconds).toFixed(2)}x the bare COPY's time (target <= 2x)`,
    );

    // A 1M-point series read to 2,000 points through the API.
    const big = await store.runs.upsert({
      key: `bench-million-${Date.now()}`,
      patch: { name: 'bench-million' },
    });
    for (let from = 0; from < N; from += 100_000) {
      await store.points.append({
        runId: big.id,
        rows: Array.from({ length: 100_000 }, (_, i) => ({
          step: from + i,
          metrics: { loss: 2 + 8 / Math.sqrt(1 + (from + i) / 50) },
        })),
      });
    }
    // The same downsampling done by PostgreSQL alone (one aggregate query over the 1M rows,
    // what a cold read of a large series costs), against reading the rows out (the JS path's load).
    const bigSeries = (await store.series.get({ runId: big.id, key: 'loss' }))!;
    const sqlTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await store.points.downsample!({ seriesId: bigSeries.id, budget: 2000 });
      sqlTimes.push(performance.now() - t);
    }
    sqlTimes.sort((a, b) => a - b);
    const tRead = performance.now();
    await store.points.read({ seriesId: bigSeries.id });
    const readAllMs = performance.now() - tRead;
    console.log(
      `1M points to 2,000 in SQL (store.points.downsample): p50 ${sqlTimes[3]!.toFixed(0)} ms; ` +
        `reading the 1M rows out: ${readAllMs.toFixed(0)} ms (${(readAllMs / sqlTimes[3]!).toFixed(1)}x)`,
    );
    const server = await createServer({ db: store, port: 0, calibration: false });
    const read = async (range: { from?: number; to?: number } = {}) => {
      const t = performance.now();
      const input = encodeURIComponent(
        JSON.stringify({ runId: big.id, key: 'loss', maxPoints: 2000, ...range }),
      );
      const res = await fetch(`${server.url}/trpc/series.points?input=${input}`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`series.points: ${res.status}`);
      return performance.now() - t;
    };
    // Cold: the series is not in this server's memory, PostgreSQL downsamples it (the columns
    // load after it); then the reads a dashboard makes, served from memory (the first of them
    // waits for that load).
    const cold = await read();
    const times: number[] = [];
    for (let i = 0; i < 40; i++) times.push(await read());
    times.sort((a, b) => a - b);
    const p50 = times[20]!;
    const p95 = times[38]!;
    const zoom: number[] = [];
    for (let i = 0; i < 20; i++)
      zoom.push(await read({ from: 400_000 + i * 1000, to: 500_000 + i * 1000 }));
    zoom.sort((a, b) => a - b);
    console.log(
      `1M-point series to 2,000 points over HTTP: cold ${cold.toFixed(0)} ms (downsampled in SQL), then p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p50 < 50); zoomed 100k-step range p50 ${zoom[10]!.toFixed(1)} ms`,
    );
    await server.close();
    for (const run of await store.runs.list({ search: 'bench-' }))
      await store.runs.delete({ id: run.id });
    await store.runs.delete({ id: bareRun.id });
    saveBenchJson('ingest-postgres', {
      points: N,
      copySeconds,
      ingestSeconds,
      ratio: ingestSeconds / copySeconds,
      read: { coldMs: cold, p50, p95, zoomP50: zoom[10], sqlDownsampleP50: sqlTimes[3], readAllMs },
    });
  } finally {
    await client.end();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function* chunks(lines: string[], size: number): Generator<string> {
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size).join('');
}
