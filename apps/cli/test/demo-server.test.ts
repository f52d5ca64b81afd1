import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-demo-'));
  db = join(dir, 'runcast.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo data through the CLI contracts', () => {
  it('demo fills the store; forecast, backtest and should-stop print the documented JSON shapes', () => {
    expect(runCli(['demo'], { db }).code).toBe(0);
    const runs = JSON.parse(runCli(['runs', '--json'], { db }).stdout);
    expect(runs.map((r: { name: string }) => r.name).sort()).toEqual([
      'demo-constant',
      'demo-cosine',
      'demo-wsd',
      'demo-wsd-long-cooldown',
    ]);
    for (const run of runs) {
      expect(Object.keys(run)).toEqual(
        expect.arrayContaining(['id', 'name', 'project', 'status', 'series']),
      );
    }

    const forecast = runCli(['forecast', 'demo-wsd-long-cooldown', '--json'], { db });
    expect(forecast.code).toBe(0);
    const f = JSON.parse(forecast.stdout);
    expect(Object.keys(f)).toEqual(
      expect.arrayContaining([
        'model',
        'observedUntil',
        'horizon',
        'final',
        'curve',
        'diagnostics',
      ]),
    );
    expect(Object.keys(f.final)).toEqual(
      expect.arrayContaining(['mean', 'lo80', 'hi80', 'lo95', 'hi95']),
    );
    expect(Object.keys(f.curve[0])).toEqual(['step', 'mean', 'lo80', 'hi80', 'lo95', 'hi95']);
    const until = JSON.parse(
      runCli(['forecast', 'demo-cosine', '--until', '8000', '--json'], { db }).stdout,
    );
    expect(until.observedUntil).toBeLessThanOrEqual(8000);

    const backtest = JSON.parse(
      runCli(['backtest', 'demo-cosine', '--at', '0.5,0.8', '--json'], { db }).stdout,
    );
    expect(backtest.run).toBeGreaterThan(0);
    expect(backtest.cuts.map((c: { at: number }) => c.at)).toEqual([0.5, 0.8]);
    expect(Object.keys(backtest.cuts[0])).toEqual(
      expect.arrayContaining(['at', 'step', 'final', 'actual', 'relError']),
    );

    const keep = runCli(['should-stop', 'demo-wsd-long-cooldown', '--target', '5', '--json'], {
      db,
    });
    expect(keep.code).toBe(0);
    expect(JSON.parse(keep.stdout)).toMatchObject({ verdict: 'continue' });
    const stop = runCli(['should-stop', 'demo-wsd-long-cooldown', '--target', '1.5', '--json'], {
      db,
    });
    expect(stop.code).toBe(3);
    const s = JSON.parse(stop.stdout);
    expect(s.verdict).toBe('stop');
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['verdict', 'probability', 'decidableAtStep']),
    );
    expect(runCli(['should-stop', 'no-such-run', '--target', '2'], { db }).code).toBe(1);
  });

  it('scaling reads a CSV with aliased columns', () => {
    const csv = fileURLToPath(
      new URL('../../../../shared/data/chinchilla/chinchilla_epoch_points.csv', import.meta.url),
    );
    const result = runCli(['scaling', csv, '--resamples', '10', '--json'], {
      db: join(dir, 's.db'),
    });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(['E', 'A', 'B', 'alpha', 'beta', 'ci95', 'optimal']),
    );
    expect(Object.keys(doc.optimal[0])).toEqual(expect.arrayContaining(['C', 'N', 'D']));

    // Besiroglu et al.'s protocol leaves out the 5 highest-loss points: their published fit.
    const besiroglu = runCli(
      ['scaling', csv, '--drop-highest', '5', '--resamples', '10', '--json'],
      { db: join(dir, 's.db') },
    );
    expect(besiroglu.code).toBe(0);
    const fit = JSON.parse(besiroglu.stdout);
    expect(fit.E).toBeCloseTo(1.817, 2);
    expect(fit.A / 482.0).toBeCloseTo(1, 2);
    expect(fit.B / 2085.4).toBeCloseTo(1, 2);
    expect(fit.alpha).toBeCloseTo(0.3478, 3);
    expect(fit.beta).toBeCloseTo(0.3658, 3);
  });
});

describe('serve and --server', () => {
  let server: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const bundle = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));
    server = spawn(
      process.execPath,
      [bundle, '--db', join(dir, 'served.db'), 'serve', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let text = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const line = text.split('\n').find((l) => l.startsWith('http://'));
        if (line) resolve(line.trim());
      });
      server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  });

  it('serves the live demo on an empty store, readable with --server', async () => {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const runs = runCli(['runs', '--server', url, '--json'], { db: join(dir, 'unused.db') });
    expect(runs.code).toBe(0);
    const listed = JSON.parse(runs.stdout) as { name: string; status: string }[];
    expect(listed.some((r) => r.status === 'running' && r.name.startsWith('demo-'))).toBe(true);
    const forecast = runCli(['forecast', 'demo-wsd-long-cooldown', '--server', url, '--json'], {
      db: join(dir, 'unused.db'),
    });
    expect(forecast.code).toBe(0);
    expect(JSON.parse(forecast.stdout).horizon).toBe(24_000);
    const write = runCli(['token', 'create', '--name', 'x', '--server', url], {
      db: join(dir, 'unused.db'),
    });
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/admin token/);
  });
});
