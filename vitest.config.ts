import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 30_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  // Handlers log through Powertools; keep test output readable unless asked for.
  env: {
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['**/*.test.ts'],
          exclude: ['node_modules', 'cdk.out', '.local', 'test/e2e/**'],
        },
      },
      {
        // Each end-to-end file boots the whole shop (a JVM, ~20 workers) and shares one
        // synthesized assembly: one file at a time, after the unit tests, on a quiet machine.
        test: {
          ...shared,
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
