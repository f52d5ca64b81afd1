// Bundles the CLI into dist/runcast.js and its fit worker into dist/fit-worker.js (loaded by the
// serve command's worker pool from next to runcast.js); native and file-reading dependencies and
// piscina (it starts its own worker script) stay external.
import { build } from 'esbuild';

await build({
  entryPoints: { runcast: 'src/index.ts', 'fit-worker': 'src/pool/fit-worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', 'chokidar', 'cli-progress', 'commander', 'pg', 'piscina'],
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
  },
  logLevel: 'warning',
});
