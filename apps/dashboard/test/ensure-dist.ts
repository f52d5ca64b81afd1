// Test support: the e2e tests and the bench serve the production build; build it when missing.
// biome-ignore lint/style/noRestrictedImports: test code checks the build output.
import { existsSync } from 'node:fs';
import { build } from 'vite';

const ROOT = new URL('..', import.meta.url).pathname;

export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(new URL('../dist/index.html', import.meta.url))) return;
  await build({ root: ROOT, logLevel: 'warn' });
}
