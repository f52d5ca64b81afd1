import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'csv', testTimeout: 30_000 } });
