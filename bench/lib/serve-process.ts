/**
 * A real `runcast serve` for benches: the built CLI bundle (apps/cli/dist, rebuilt from the
 * current source first) in a child process on a temp store, fits on its own worker pool, with
 * write tokens created by `runcast token create` and runs pushed over HTTP (POST /api/v1/push).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_DIR = fileURLToPath(new URL('../../apps/cli/', import.meta.url));
const BUNDLE = join(CLI_DIR, 'dist/runcast.js');

/** Rebuilds apps/cli/dist/runcast.js so the server measured is the current source. */
export function buildCli(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: CLI_DIR, stdio: 'pipe' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServeProcess {
  url: string;
  db: string;
  child: ChildProcess;
  /** `runcast token create --scope write` on the same store: the secret. */
  createToken(name: string): string;
  close(): Promise<void>;
}

/** Starts `runcast --db <temp> serve --no-demo --port <free>` and waits for its URL. */
export async function startServeProcess(): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'runcast-bench-serve-'));
  const db = join(dir, 'runcast.db');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BUNDLE, '--db', db, 'serve', '--no-demo', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = /http:\/\/\S+/.exec(out);
      if (found) resolve(found[0].trim().replace(/\/$/, ''));
    });
    child.once('exit', (code) => reject(new Error(`runcast serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    db,
    child,
    createToken(name) {
      const out = execFileSync(
        process.execPath,
        [BUNDLE, '--db', db, 'token', 'create', '--name', name, '--scope', 'write', '--json'],
        { encoding: 'utf8' },
      );
      return (JSON.parse(out) as { secret: string }).secret;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Pushes bodies to POST /api/v1/push, `concurrency` requests in flight (keep-alive), each
 * with its token; a 429 (rate limit) waits the Retry-After and tries again. Returns how many
 * requests were refused for rate and retried.
 */
export async function pushOverHttp(options: {
  url: string;
  bodies: ReadonlyArray<{ token: string; body: unknown }>;
  concurrency: number;
}): Promise<{ requests: number; retried: number }> {
  let next = 0;
  let retried = 0;
  async function worker(): Promise<void> {
    while (next < options.bodies.length) {
      const item = options.bodies[next++]!;
      const body = JSON.stringify(item.body);
      for (;;) {
        const res = await fetch(`${options.url}/api/v1/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${item.token}` },
          body,
        });
        if (res.status === 429) {
          await res.arrayBuffer();
          retried++;
          const wait = Number(res.headers.get('retry-after') ?? '1');
          // The bucket refills continuously: a short wait (at most Retry-After) is enough.
          await new Promise((r) => setTimeout(r, Math.max(0.02, Math.min(wait, 0.2)) * 1000));
          continue;
        }
        if (!res.ok) throw new Error(`push ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        break;
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { requests: options.bodies.length, retried };
}
