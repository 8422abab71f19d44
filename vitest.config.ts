import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 30_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
  // Handlers log through Powertools; keep test output readable unless asked for.
  env: {
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  },
};

export default defineConfig({
  test: {
    // Every core for the unit and local-cloud files (vitest's default leaves one to its main
    // process, which idles): on two cores they took 344 s one at a time, 218 s two at a time.
    // The e2e project still runs one file at a time (fileParallelism: false).
    maxWorkers: availableParallelism(),
    projects: [
      // The local cloud is a package of its own, with its own config.
      'packages/local-cloud',
      {
        test: {
          ...shared,
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['**/*.test.ts'],
          // `.cache` holds the peers benchmark's installs, with their own packages' test files.
          exclude: [
            '**/node_modules/**',
            'cdk.out',
            '.local',
            '.cache/**',
            'test/e2e/**',
            'packages/**',
          ],
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
