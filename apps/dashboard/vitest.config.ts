import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'dashboard', testTimeout: 120_000 } });
