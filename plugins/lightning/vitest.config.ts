import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'lightning', testTimeout: 30_000 } });
