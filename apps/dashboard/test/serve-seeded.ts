// Dev helper: `pnpm exec tsx apps/dashboard/test/serve-seeded.ts` serves the built dashboard over a
// store seeded with a few real curves (temp dir, deleted on exit). Not part of the test suite.
import { CONSTANT_CURVE, WSD_CURVE } from './read-curve';
import { startSeededServer } from './seed-server';

const seeded = await startSeededServer({
  runs: [
    { curve: WSD_CURVE, fraction: 0.6, status: 'running' },
    { curve: CONSTANT_CURVE },
    { curve: 'epfl-ann0.2-openwebtext2-L10H8E512-wsd-linear0.2-lr0.001-T17500' },
    { curve: 'mpl-100M-constant_72000', limit: 1, name: 'one-point run' },
  ],
});
console.log(`dashboard at ${seeded.url} (write token ${seeded.writeToken})`);
process.on('SIGINT', () => void seeded.close().then(() => process.exit(0)));
