import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'fit', testTimeout: 30_000 } });
