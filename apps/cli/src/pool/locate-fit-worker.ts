import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The worker entry next to this module: dist/fit-worker.js in the bundle (build.mjs bundles it as its
 * own entry), src/pool/fit-worker.ts from source (tests, tsx), where the worker loads tsx to run TS.
 */
export function locateFitWorker(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return {
      filename: fileURLToPath(new URL('./fit-worker.ts', here)),
      execArgv: ['--import', tsx],
    };
  }
  return { filename: fileURLToPath(new URL('./fit-worker.js', here)), execArgv: [] };
}
