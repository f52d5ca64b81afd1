import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'tensorboard', testTimeout: 30_000 } });
