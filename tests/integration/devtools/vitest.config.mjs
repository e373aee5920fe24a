import { defineConfig } from 'vitest/config';

// Only the vitest files (test/ holds the node:test ones); one file at a time on a shared machine.
export default defineConfig({ test: { include: ['vitest/**/*.test.mjs'], fileParallelism: false } });
