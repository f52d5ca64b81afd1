import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/** `runcast ingest DIR --watch --stale-after M`: the watcher keeps the status of what it tails. */
const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));
const CURVE = fileURLToPath(
  new URL('../../../../shared/data/curves/mpl-25M-cosine_24000.json', import.meta.url),
);
const STALE_MINUTES = 0.03; // 1.8 s: room for a few `runs --json` polls while running

const dir = mkdtempSync(join(tmpdir(), 'runcast-watch-status-'));
const db = join(dir, 'runcast.db');
let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function statusOf(name: string): string | undefined {
  const result = runCli(['runs', '--json'], { db });
  if (result.code !== 0) return undefined;
  return (JSON.parse(result.stdout) as { name: string; status: string }[]).find(
    (r) => r.name === name,
  )?.status;
}

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('runcast ingest --watch keeps run statuses', () => {
  it('running while the log grows, stopped after --stale-after short of its plan, finished at the horizon', async () => {
    const data = JSON.parse(readFileSync(CURVE, 'utf8')) as { points: [number, number, number][] };
    const lines = data.points.map(([step, loss, lr]) => `${JSON.stringify({ step, loss, lr })}\n`);
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const file = join(logs, 'cos.jsonl');
    writeFileSync(file, lines.slice(0, 50).join(''));
    child = spawn(
      process.execPath,
      [BUNDLE, '--db', db, 'ingest', logs, '--watch', '--stale-after', String(STALE_MINUTES)],
      { env: { ...process.env, NO_COLOR: '1', RUNCAST_DB: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const collect = (d: Buffer) => {
      out += d.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await waitFor(() => out.includes('Watching'), 'the watcher');
    expect(statusOf('cos')).toBe('unknown');

    appendFileSync(file, lines.slice(50, 100).join(''));
    await waitFor(() => statusOf('cos') === 'running', 'running');
    await waitFor(() => statusOf('cos') === 'stopped', 'stopped');

    appendFileSync(file, lines.slice(100).join(''));
    await waitFor(() => statusOf('cos') === 'finished', 'finished');
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGINT');
    await exited;
    child = null;
    expect(statusOf('cos')).toBe('finished');
  });

  it('rejects a --stale-after that is not a positive number of minutes (exit 2)', () => {
    const result = runCli(['ingest', dir, '--watch', '--stale-after', '0'], { db });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/positive number of minutes/);
  });
});
