import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules', 'cdk.out', '.local'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Handlers log through Powertools; keep test output readable unless asked for.
    env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT' },
  },
});
