import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));
const PUSHERS = 4;
const BATCHES = 80;
const BATCH_POINTS = 500;

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runcast-contention-'));
});
afterEach(async () => {
  await Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(undefined);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a real child process of the built CLI; resolves when `ready` matches its output. */
function startCli(args: string[], ready: RegExp): Promise<string> {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    env: { ...process.env, NO_COLOR: '1', RUNCAST_DB: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const m = ready.exec(text);
      if (m) resolve(m[0]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`runcast ${args.join(' ')} exited ${code}: ${text}`)),
    );
  });
}

function serve(db: string): Promise<string> {
  return startCli(['--db', db, 'serve', '--port', '0', '--no-demo'], /http:\/\/127\.0\.0\.1:\d+/);
}

function writeTokens(db: string): string[] {
  return Array.from({ length: PUSHERS }, (_, p) => {
    const out = runCli(['token', 'create', '--name', `pusher-${p}`, '--scope', 'write', '--json'], {
      db,
    });
    expect(out.code).toBe(0);
    return JSON.parse(out.stdout).secret as string;
  });
}

/**
 * PUSHERS clients push BATCHES batches of BATCH_POINTS points in total (disjoint steps, two runs),
 * spread over the servers. A batch is retried only on 503 (after its Retry-After); any other
 * status fails the test. Returns how many 503s were seen.
 */
async function pushAll(urls: string[], tokens: string[]): Promise<{ busy: number }> {
  let busy = 0;
  const perPusher = BATCHES / PUSHERS;
  await Promise.all(
    tokens.map(async (token, p) => {
      const url = urls[p % urls.length]!;
      for (let b = 0; b < perPusher; b++) {
        const first = (p * perPusher + b) * BATCH_POINTS;
        const body = JSON.stringify({
          run: `pushed-${p % 2}`,
          points: Array.from({ length: BATCH_POINTS }, (_, i) => ({
            step: first + i,
            metrics: { loss: 3 - (first + i) * 1e-5 },
          })),
        });
        for (;;) {
          const res = await fetch(`${url}/api/v1/push`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          });
          const text = await res.text();
          if (res.status === 503) {
            busy++;
            const wait = Number(res.headers.get('retry-after') ?? '1');
            await new Promise((r) => setTimeout(r, wait * 1000));
            continue;
          }
          expect([res.status, text]).toEqual([
            200,
            expect.stringContaining(`"accepted":${BATCH_POINTS}`),
          ]);
          break;
        }
      }
    }),
  );
  return { busy };
}

function pointsByRun(db: string): Record<string, number> {
  const out = runCli(['runs', '--json'], { db });
  expect(out.code).toBe(0);
  const runs = JSON.parse(out.stdout) as { name: string; series: { points: number }[] }[];
  return Object.fromEntries(runs.map((r) => [r.name, r.series.reduce((n, s) => n + s.points, 0)]));
}

describe('two processes writing one SQLite store', () => {
  it('two `runcast serve` on one file: every batch of 4 pushers is accepted and stored once', async () => {
    const db = join(dir, 'two-servers.db');
    const tokens = writeTokens(db);
    const a = await serve(db);
    const b = await serve(db);
    const { busy } = await pushAll([a, b], tokens);
    const half = (BATCHES * BATCH_POINTS) / 2;
    expect(pointsByRun(db)).toEqual({ 'pushed-0': half, 'pushed-1': half });
    expect(busy).toBeLessThan(BATCHES);
  });

  it('`runcast serve` beside `runcast ingest --watch` on one file: nothing lost on either side', async () => {
    const db = join(dir, 'serve-and-watch.db');
    const tokens = writeTokens(db);
    const logs = join(dir, 'logs');
    const file = join(logs, 'watched.jsonl');
    const lines = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({ step: from + i, loss: 3 - (from + i) * 1e-5, lr: 1e-3 }),
      ).join('\n') + '\n';
    mkdirSync(logs);
    writeFileSync(file, lines(0, 500));
    const url = await serve(db);
    await startCli(['--db', db, 'ingest', logs, '--watch'], /Watching /);
    const appends = (async () => {
      for (let k = 1; k < 40; k++) {
        appendFileSync(file, lines(k * 500, 500));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    // Both sides finish before any failure is reported (the folder is removed afterwards).
    const [appended, pushed] = await Promise.allSettled([appends, pushAll([url], tokens)]);
    if (appended.status === 'rejected') throw appended.reason;
    if (pushed.status === 'rejected') throw pushed.reason;
    const { busy } = pushed.value;
    const half = (BATCHES * BATCH_POINTS) / 2;
    const deadline = Date.now() + 60_000;
    let stored = pointsByRun(db);
    while ((stored.watched ?? 0) < 2 * 40 * 500 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      stored = pointsByRun(db);
    }
    expect(stored).toEqual({ 'pushed-0': half, 'pushed-1': half, watched: 2 * 40 * 500 });
    expect(busy).toBeLessThan(BATCHES);
  });
});
