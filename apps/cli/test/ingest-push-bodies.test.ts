import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '@runcast/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './run-cli';

const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));
const LLAMAFACTORY = fileURLToPath(
  new URL(
    '../../../../shared/fixtures/logs/generic-jsonl-csv/llamafactory-trainer-log/trainer_log.jsonl',
    import.meta.url,
  ),
);

/** The CLI without blocking this process (an in-process server must keep answering). */
function runCliAsync(args: string[], db: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUNDLE, '--db', db, ...args], {
      env: { ...process.env, NO_COLOR: '1', RUNCAST_DB: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-push-bodies-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const body = (from: number, n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    project: 'py',
    run: 'spooled',
    ...extra,
    points: Array.from({ length: n }, (_, i) => ({
      step: from + i,
      metrics: { loss: 3 - (from + i) * 1e-3, lr: 1e-3 },
    })),
  });

describe('ingest of push-body files (the Python client spool)', () => {
  it('stores each line once, names a cut line, and is idempotent; show prints the stopping verdict', () => {
    const db = join(dir, 'local.db');
    const spool = join(dir, 'py__spooled__1-2.runcast-spool.jsonl');
    const verdict = {
      verdict: 'stop',
      probability: 0.002,
      reason: 'cannot reach 2.0',
      step: 199,
      target: 2,
    };
    writeFileSync(
      spool,
      `${body(0, 100, { status: 'running', config: { lr: 1e-3 } })}\n${body(100, 100, { status: 'stopped', verdict })}\n{"project":"py","run":"spool`,
    );
    const first = runCli(['ingest', spool, '--json'], { db });
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.status).toBe('partial');
    expect(summary.files[0]).toMatchObject({
      format: 'runcast-push',
      points: 200,
      runs: ['spooled'],
    });
    expect(summary.files[0].errors).toEqual([expect.objectContaining({ line: 3 })]);
    expect(JSON.parse(runCli(['ingest', spool, '--json'], { db }).stdout).points).toBe(200);
    const run = JSON.parse(runCli(['show', 'spooled', '--json'], { db }).stdout);
    expect(run.series.map((s: { points: number }) => s.points)).toEqual([200, 200]);
    expect(run).toMatchObject({ status: 'stopped', statusSource: 'push', stopVerdict: verdict });
    const shown = runCli(['show', 'spooled'], { db }).stderr;
    expect(shown).toMatch(/status\s+stopped \(from push\)/);
    expect(shown).toMatch(
      /stopped by\s+stop at step 199 vs target 2, P = 0\.2% - cannot reach 2\.0/,
    );
  });

  it('ingest --server parses logs here and pushes them; a spool goes over HTTP too; twice adds nothing', async () => {
    const server = await createServer({ db: join(dir, 'server.db'), port: 0, calibration: false });
    try {
      const token = (await server.services.tokens.create({ name: 'w', scope: 'write' })).secret;
      const spool = join(dir, 'remote.runcast-spool.jsonl');
      writeFileSync(spool, `${body(0, 50, { run: 'remote' })}\n`);
      const args = [
        'ingest',
        LLAMAFACTORY,
        spool,
        '--group',
        'g',
        '--server',
        server.url,
        '--token',
        token,
        '--json',
      ];
      const local = join(dir, 'unused.db');
      const res = await runCliAsync(args, local);
      expect(res.code, res.stderr).toBe(0);
      const summary = JSON.parse(res.stdout);
      expect(summary.status).toBe('completed');
      const runs = await server.services.runs.list({});
      expect(runs.map((r) => r.name).sort()).toEqual(['llamafactory-trainer-log', 'remote'].sort());
      const pushed = runs.find((r) => r.name !== 'remote')!;
      const parsedHere = runCli(['ingest', LLAMAFACTORY, '--json'], {
        db: join(dir, 'compare.db'),
      });
      const expected = JSON.parse(
        runCli(['runs', '--json'], { db: join(dir, 'compare.db') }).stdout,
      )[0];
      expect(JSON.parse(parsedHere.stdout).status).toBe('completed');
      expect(pushed.group).toBe('g');
      expect(pushed.series.map((s) => [s.key, s.points])).toEqual(
        expected.series.map((s: { key: string; points: number }) => [s.key, s.points]),
      );
      const again = await runCliAsync(args, local);
      expect(again.code, again.stderr).toBe(0);
      expect(
        (await server.services.runs.list({})).flatMap((r) => r.series.map((s) => s.points)),
      ).toEqual(runs.flatMap((r) => r.series.map((s) => s.points)));
      const bad = await runCliAsync(
        ['ingest', spool, '--server', server.url, '--token', 'rc_wrong'],
        local,
      );
      expect(bad.code).toBe(1);
    } finally {
      await server.close();
    }
  });
});
