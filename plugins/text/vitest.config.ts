import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'text', testTimeout: 30_000 } });
