import type { ServerResponse } from 'node:http';
import { RuncastError } from '@runcast/core';
import type { Store } from '@runcast/db';

const PAGE = 10_000;

function formatValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(v);
}

/** Waits for the socket to drain when write() says its buffer is full. */
function write(res: ServerResponse, chunk: string): Promise<void> | undefined {
  if (res.write(chunk)) return undefined;
  return new Promise((resolve) => res.once('drain', resolve));
}

/**
 * Streams one series as CSV (step,value,wall_time) or JSONL ({"step","value","time"?}), reading
 * the store page by page so memory stays flat for any length.
 */
export async function exportSeries(options: {
  db: Store;
  res: ServerResponse;
  runId: number;
  key: string;
  format: 'csv' | 'jsonl';
}): Promise<void> {
  const { db, res, runId, key, format } = options;
  if (!(await db.runs.get(runId))) throw new RuncastError('NOT_FOUND', `no run with id ${runId}`);
  const series = await db.series.get({ runId, key });
  if (!series)
    throw new RuncastError('NOT_FOUND', `run ${runId} has no series ${JSON.stringify(key)}`);
  const safeName = `run-${runId}-${key.replace(/[^\w.-]+/g, '_')}.${format}`;
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
    'content-disposition': `attachment; filename="${safeName}"`,
  });
  if (format === 'csv') await write(res, 'step,value,wall_time\n');
  let from = 0;
  for (;;) {
    const page = await db.points.read({ seriesId: series.id, from, limit: PAGE });
    const n = page.steps.length;
    if (n === 0) break;
    let text = '';
    for (let i = 0; i < n; i++) {
      const step = page.steps[i]!;
      const value = page.values[i]!;
      const wall = page.wallTimes[i]!;
      if (format === 'csv') {
        text += `${step},${formatValue(value)},${Number.isNaN(wall) ? '' : wall}\n`;
      } else {
        const v = Number.isFinite(value) ? String(value) : JSON.stringify(formatValue(value));
        text += `{"step":${step},"value":${v}${Number.isNaN(wall) ? '' : `,"time":${wall}`}}\n`;
      }
    }
    await write(res, text);
    if (n < PAGE) break;
    from = page.steps[n - 1]! + 1;
    if (res.destroyed) return;
  }
  res.end();
}
