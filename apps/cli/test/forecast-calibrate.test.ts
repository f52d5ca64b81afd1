import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalApi } from '@runcast/api';
import type { ScheduleSpec } from '@runcast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/**
 * `runcast forecast --calibrate`: real curves of one group (../shared/data/curves, pushed into a
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

describe('runcast forecast --calibrate', () => {
  it('calibrates the bands on the finished runs first only when asked', () => {
    const plain = JSON.parse(forecast(['--json'])) as {
      final: { mean: number; lo80: number; hi80: number };
      diagnostics: { calibration: Calibration };
    };
    expect(plain.diagnostics.calibration).toMatchObject({ calibrated: false, backtests: 0 });
    const calibrated = JSON.parse(forecast(['--calibrate', '--json'])) as typeof plain;
    expect(calibrated.diagnostics.calibration).toMatchObject({
      calibrated: true,
      backtests: finished,
      samples: 4 * finished,
    });
    expect(calibrated.final.mean).toBeCloseTo(plain.final.mean, 10);
    expect(calibrated.final.hi80 - calibrated.final.lo80).not.toBeCloseTo(
      plain.final.hi80 - plain.final.lo80,
      10,
    );
    expect(forecast(['--calibrate'])).toContain(
      `bands calibrated on ${4 * finished} backtest cuts of ${finished} finished runs`,
    );
    expect(forecast([])).toContain('bands not calibrated');
  });
});
