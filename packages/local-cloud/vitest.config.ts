import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'local-cloud',
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules', '.local'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { groupOrder: 0 },
  },
});
