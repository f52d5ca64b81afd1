// Test support: the e2e tests and the bench serve the production build; (re)build it when it is
// missing or older than the sources, so a stale dist never passes for the current code.
// biome-ignore lint/style/noRestrictedImports: test code runs the build.
import { spawnSync } from 'node:child_process';
// biome-ignore lint/style/noRestrictedImports: test code checks the build output.
import { existsSync, readdirSync, statSync } from 'node:fs';
// biome-ignore lint/style/noRestrictedImports: test code.
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newestSourceTime(): number {
  let newest = Math.max(
    statSync(`${ROOT}index.html`).mtimeMs,
    statSync(`${ROOT}vite.config.ts`).mtimeMs,
  );
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.includes('.test.')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(`${ROOT}src`);
  return newest;
}

export function ensureDashboardBuilt(): void {
  const index = `${ROOT}dist/index.html`;
  if (existsSync(index) && statSync(index).mtimeMs >= newestSourceTime()) return;
  // A child process with NODE_ENV=production: vitest's NODE_ENV=test would give React's dev build.
  const result = spawnSync(`${ROOT}node_modules/.bin/vite`, ['build', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
}
