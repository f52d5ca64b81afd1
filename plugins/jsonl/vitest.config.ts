import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'jsonl', testTimeout: 30_000 } });
