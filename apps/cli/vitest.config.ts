import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['./test/global-setup.ts'],
  },
});
