import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'hf-trainer', testTimeout: 30_000 } });
