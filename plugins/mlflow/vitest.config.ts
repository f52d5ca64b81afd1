import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'mlflow', testTimeout: 30_000 } });
