import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/runcast.js', import.meta.url));

/** Builds dist/runcast.js (the artifact `pnpm runcast` runs) from the current source. */
export function buildCli(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: CLI_DIR, stdio: 'pipe' });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with `--db`; never throws on a non-zero exit. */
export function runCli(args: string[], options: { db: string; cwd?: string }): CliResult {
  const result = spawnSync(process.execPath, [BUNDLE, '--db', options.db, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', RUNCAST_DB: '' },
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
