import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalApi } from '@runcast/api';
import type { ScheduleSpec } from '@runcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/**
 * `runcast forecast`, `backtest`, `should-stop` with calibrated bands by default: real curves of one group (../shared/data/curves, pushed into a
 * temp store, never committed), all finished with their declared schedules but one, still running
 * at 40 % of its steps.
 */
const CURVES = fileURLToPath(new URL('../../../../shared/data/curves/', import.meta.url));
const GROUP = 'mpl-25M';
const TARGET = 'mpl-25M-wsd_20000_24000';

let dir: string;
let db: string;
let finished = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-forecast-calibrate-'));
  db = join(dir, 'runcast.db');
  const api = openLocalApi({ db });
  for (const file of readdirSync(CURVES).sort()) {
    if (!file.endsWith('.json')) continue;
    const data = JSON.parse(readFileSync(join(CURVES, file), 'utf8')) as {
      group: string;
      points: [number, number, number][];
      schedule: { total_steps: number; segments: ScheduleSpec['segments'] };
    };
    if (data.group !== GROUP) continue;
    const name = file.replace(/\.json$/, '');
    const running = name === TARGET;
    const limit = running ? 0.4 * data.schedule.total_steps : Number.POSITIVE_INFINITY;
    await api.services.push.push({
      run: name,
      group: GROUP,
      schedule: {
        kind: 'segments',
        segments: data.schedule.segments,
        total: data.schedule.total_steps,
      },
      status: running ? 'running' : 'finished',
      points: data.points
        .filter(([step]) => step <= limit)
        .map(([step, loss, lr]) => ({ step, metrics: { loss, lr } })),
    });
    if (!running) finished++;
  }
  await api.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Calibration = { calibrated: boolean; backtests: number; samples: number };

/** `--json` prints the forecast on stdout; the human report goes to stderr. */
function forecast(args: string[]) {
  const result = runCli(['forecast', TARGET, ...args], { db });
  expect(result.code, result.stderr).toBe(0);
  return args.includes('--json') ? result.stdout : result.stderr;
}

describe('runcast forecast: calibrated bands by default', () => {
  it('calibrates on the other finished runs without a flag; --no-calibrate gives raw bands', () => {
    const calibrated = JSON.parse(forecast(['--json'])) as {
      final: { mean: number; lo80: number; hi80: number };
      diagnostics: { calibration: Calibration & { requested: boolean } };
    };
    expect(calibrated.diagnostics.calibration).toMatchObject({
      calibrated: true,
      requested: true,
      backtests: finished,
      samples: 4 * finished,
    });
    const raw = JSON.parse(forecast(['--no-calibrate', '--json'])) as typeof calibrated;
    expect(raw.diagnostics.calibration).toMatchObject({ calibrated: false, requested: false });
    expect(raw.final.mean).toBeCloseTo(calibrated.final.mean, 10);
    expect(raw.final.hi80 - raw.final.lo80).not.toBeCloseTo(
      calibrated.final.hi80 - calibrated.final.lo80,
      10,
    );
    // The old flag is accepted and changes nothing.
    const old = JSON.parse(forecast(['--calibrate', '--json'])) as typeof calibrated;
    expect(old.final).toEqual(calibrated.final);
    expect(forecast([])).toContain(
      `bands calibrated on ${4 * finished} backtest cuts of ${finished} other finished runs`,
    );
    const rawText = forecast(['--no-calibrate']);
    expect(rawText).toContain('raw bands (--no-calibrate)');
    // Which assumption the future LR rests on.
    expect(rawText).toContain('future LR: declared - segments schedule declared with the run');
  });

  it('backtest and should-stop calibrate by default too, and say so', () => {
    const finishedRun = 'mpl-25M-cosine_24000';
    const bt = runCli(['backtest', finishedRun], { db });
    expect(bt.code, bt.stderr).toBe(0);
    expect(bt.stderr).toContain(`other finished runs (the run itself left out)`);
    const btJson = JSON.parse(runCli(['backtest', finishedRun, '--json'], { db }).stdout) as {
      calibration: { calibrated: boolean; backtests: number };
    };
    // The run itself is one of the finished runs: it is left out of its own calibration.
    expect(btJson.calibration).toMatchObject({ calibrated: true, backtests: finished - 1 });
    const rawBt = JSON.parse(
      runCli(['backtest', finishedRun, '--no-calibrate', '--json'], { db }).stdout,
    ) as typeof btJson;
    expect(rawBt.calibration.calibrated).toBe(false);
    const stop = runCli(['should-stop', TARGET, '--target', '3', '--json'], { db });
    expect(JSON.parse(stop.stdout).calibration).toMatchObject({ calibrated: true });
    const rawStop = runCli(['should-stop', TARGET, '--target', '3', '--no-calibrate'], { db });
    expect(rawStop.stderr).toContain('raw bands (--no-calibrate)');
  });
});
