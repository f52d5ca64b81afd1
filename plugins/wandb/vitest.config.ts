import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'wandb', testTimeout: 30_000 } });
