import { defineProject } from 'vitest/config';

// The e2e suite builds the dashboard when its dist is stale and seeds a real server: long hooks.
export default defineProject({
  test: { name: 'dashboard', testTimeout: 120_000, hookTimeout: 180_000 },
});
