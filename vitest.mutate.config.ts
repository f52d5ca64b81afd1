import { defineConfig } from 'vitest/config';

/**
 * The test run `pnpm mutate` (bench/mutate.ts) hands to Stryker: only the tests that guard the
 * area being mutated (RUNCAST_MUTATE_TESTS, comma-separated folders or files), in one project.
 */
const targets = (process.env.RUNCAST_MUTATE_TESTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: targets.map((t) => (t.endsWith('.ts') ? t : `${t}/**/*.test.ts`)),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
