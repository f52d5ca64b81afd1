import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/**
 * `runcast ingest logs/ --group G` on real curves written as plain JSONL logs (no --schedule, so
 * every run is status unknown with no declared plan), then forecasts and should-stop through the
 * built CLI. Curves come from ../shared/data and are converted in a temp dir, never committed.
 */
const CURVES = fileURLToPath(new URL('../../../../shared/data/curves/', import.meta.url));
const GROUP = 'mpl-25M';
const TARGET = 'mpl-25M-wsd_20000_24000';

let dir: string;
let db: string;
const finals = new Map<string, number>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-group-logs-'));
  db = join(dir, 'runcast.db');
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  for (const file of readdirSync(CURVES)) {
    const data = JSON.parse(readFileSync(join(CURVES, file), 'utf8')) as {
      group: string;
      points: [number, number, number][];
    };
    if (data.group !== GROUP) continue;
    const name = file.replace(/\.json$/, '');
    finals.set(name, data.points.at(-1)![1]);
    const lines = data.points.map(([step, loss, lr]) => JSON.stringify({ step, loss, lr }));
    writeFileSync(join(logs, `${name}.jsonl`), `${lines.join('\n')}\n`);
  }
  expect(runCli(['ingest', logs, '--group', GROUP, '--json'], { db }).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function forecast(args: string[]) {
  const result = runCli(['forecast', TARGET, ...args, '--json'], { db });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as {
    model: string;
    final: { mean: number };
    diagnostics: { groupDonors: number };
  };
}

describe('group mode for ingested logs without declared schedules (CLI)', () => {
  it('a WSD run cut before its cooldown borrows the group shape and lands closer than single-run', () => {
    const runs = JSON.parse(runCli(['runs', '--json'], { db }).stdout) as {
      name: string;
      stepsDone: number;
    }[];
    const target = runs.find((r) => r.name === TARGET)!;
    const until = String(Math.round(0.4 * target.stepsDone));
    const group = forecast(['--until', until]);
    const single = forecast(['--until', until, '--no-group']);
    expect(group.model).toBe('mpl-group');
    expect(group.diagnostics.groupDonors).toBeGreaterThanOrEqual(2);
    expect(single.diagnostics.groupDonors).toBe(0);
    const truth = finals.get(TARGET)!;
    expect(Math.abs(group.final.mean - truth)).toBeLessThan(Math.abs(single.final.mean - truth));
  });

  it('should-stop --vs best compares with a complete log by its observed final loss', () => {
    const result = runCli(['should-stop', 'mpl-25M-constant_24000', '--vs', 'best', '--json'], {
      db,
    });
    const doc = JSON.parse(result.stdout) as {
      other: { best: { name: string; source: string; final: { mean: number } }; runs: number };
    };
    expect(doc.other.runs).toBe(finals.size - 1);
    // The lowest final of the group is a cosine run whose logged LR shows its decay ended.
    const lowest = [...finals]
      .filter(([n]) => n !== 'mpl-25M-constant_24000')
      .sort((a, b) => a[1] - b[1])[0]!;
    expect(doc.other.best.name).toBe(lowest[0]);
    expect(doc.other.best.source).toBe('observed');
    expect(Math.abs(doc.other.best.final.mean - lowest[1]) / lowest[1]).toBeLessThan(0.005);
  });
});
