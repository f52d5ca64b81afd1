import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TESTS = fileURLToPath(new URL('../../../clients/python/tests', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));

const imports = (exe: string, module: string) =>
  spawnSync(exe, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** $RUNCAST_PYTHON, else a python3 that has torch (Debian's /usr/bin/python3), else python3. */
function pickPython(): string | null {
  if (process.env.RUNCAST_PYTHON) return process.env.RUNCAST_PYTHON;
  const found = ['python3', '/usr/bin/python3'].filter((exe) => imports(exe, 'sys'));
  return found.find((exe) => imports(exe, 'torch')) ?? found[0] ?? null;
}

const python = pickPython();
const ci = process.env.CI === 'true';
if (!python && !ci) console.warn('python client: skipped (no python3 on PATH)');

/**
 * The Python client's unittest suite (clients/python/tests) against real `runcast serve`
 * processes started from the built CLI: batching, retries, spool, kill -9, NaN, verdicts, the HF
 * and Lightning callbacks, W&B compatibility, and a real PyTorch training (skipped without torch
 * unless CI=true).
 */
describe.skipIf(!python && !ci)('python client (unittest)', () => {
  it('passes', { timeout: 30 * 60_000 }, async () => {
    expect(python, 'CI=true needs python3').not.toBeNull();
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(python!, ['-m', 'unittest', 'discover', '-s', TESTS, '-t', TESTS, '-v'], {
        cwd: TESTS,
        env: {
          ...process.env,
          RUNCAST_CLI: BUNDLE,
          RUNCAST_NODE: process.execPath,
          PYTHONDONTWRITEBYTECODE: '1',
        },
      });
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(result.code, result.output.slice(-8000)).toBe(0);
    expect(result.output).toMatch(/\nOK/);
  });
});
