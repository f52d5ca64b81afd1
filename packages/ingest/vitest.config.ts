import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'ingest', testTimeout: 30_000 } });
