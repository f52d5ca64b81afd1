import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/**
 * `runcast should-stop` on real curves (../shared/data, converted to JSONL in a temp dir, never
 * committed): a sweep of the EPFL 124M model on SlimPajama with 50k-step schedules. Finished runs of
 * the group (other peak LRs and schedules) are in the store; two cosine runs are in progress: the one
 * with peak LR 5e-3 diverges and ends far above the group's best (7.55 vs 2.92), the one with peak
 * LR 2e-3 is the eventual best.
 */
const CURVES = new URL('../../../../shared/data/curves/', import.meta.url);
const GROUP = 'epfl-124m-slimpajama';
const FINISHED = [
  'epfl-cos-10-124m-slimpajama-L12H12E768-cos10pct-lr0.002-T50000',
  'epfl-ann124-0.994-slimpajama-L12H12E768-lin2zero-lr0.002-T50000',
  'epfl-ann124-0.2-slimpajama-L12H12E768-wsd-linear0.2-lr0.002-T50000',
  'epfl-cos-zero-124m-slimpajama-L12H12E768-cos2zero-lr0.001-T50000',
  'epfl-cos-10-124m-slimpajama-L12H12E768-cos10pct-lr0.0005-T50000',
  'epfl-ann124-0.994-slimpajama-L12H12E768-lin2zero-lr0.0001-T50000',
  'epfl-ann124-0.2-slimpajama-L12H12E768-wsd-linear0.2-lr0.0001-T50000',
];
const FAR_ABOVE = 'epfl-cos-zero-124m-slimpajama-L12H12E768-cos2zero-lr0.005-T50000';
const EVENTUAL_BEST = 'epfl-cos-zero-124m-slimpajama-L12H12E768-cos2zero-lr0.002-T50000';

interface Curve {
  points: [number, number, number][];
  schedule: { total_steps: number; segments: unknown[] };
}

function loadCurve(id: string): Curve {
  return JSON.parse(readFileSync(new URL(`${id}.json`, CURVES), 'utf8')) as Curve;
}

function toJsonl(points: Curve['points']): string {
  return points.map(([step, loss, lr]) => JSON.stringify({ step, loss, lr })).join('\n') + '\n';
}

let dir: string;
let db: string;

/** Writes the run's points with step <= fraction * T (appending what is new) and ingests them. */
function ingestUpTo(
  id: string,
  name: string,
  fraction: number,
  written = new Map<string, number>(),
) {
  const curve = loadCurve(id);
  const file = join(dir, `${name}.jsonl`);
  const scheduleFile = join(dir, `${name}.schedule.json`);
  writeFileSync(
    scheduleFile,
    JSON.stringify({ kind: 'segments', segments: curve.schedule.segments }),
  );
  const limit = fraction * curve.schedule.total_steps;
  const done = written.get(name) ?? -1;
  const fresh = curve.points.filter(([step]) => step > done && step <= limit);
  appendFileSync(file, toJsonl(fresh));
  written.set(name, limit);
  const result = runCli(
    ['ingest', file, '--group', GROUP, '--schedule', `@${scheduleFile}`, '--json'],
    { db },
  );
  expect(result.code).toBe(0);
}

function shouldStop(name: string) {
  const result = runCli(['should-stop', name, '--vs', 'best', '--json'], { db });
  return { code: result.code, doc: JSON.parse(result.stdout || '{}'), stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-should-stop-'));
  db = join(dir, 'runcast.db');
  FINISHED.forEach((id, i) => {
    ingestUpTo(id, `finished-${i}`, 1);
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runcast should-stop on real curves', () => {
  it('stops the run that ends far above its group by 40% of its steps (exit 3)', () => {
    ingestUpTo(FAR_ABOVE, 'far-above', 0.4);
    const { code, doc } = shouldStop('far-above');
    expect(doc.verdict).toBe('stop');
    expect(doc.probability).toBeLessThan(0.05);
    expect(doc.observedUntil).toBeLessThanOrEqual(20_000);
    expect(code).toBe(3);
  });

  it('never stops the eventual best (exit 0 at 20, 40, 60 and 80% of its steps)', () => {
    const written = new Map<string, number>();
    for (const fraction of [0.2, 0.4, 0.6, 0.8]) {
      ingestUpTo(EVENTUAL_BEST, 'eventual-best', fraction, written);
      const { code, doc, stderr } = shouldStop('eventual-best');
      expect(doc.verdict, `at ${fraction}: ${stderr}`).not.toBe('stop');
      expect(code).toBe(0);
    }
  });
});
