import { defineConfig } from 'vitest/config';

/**
 * Three tiers, each runnable alone (`vitest run --project unit`); `npm test` runs them all.
 * - unit: pure code, no disk, processes or native packages (`*.unit.test.ts`); seconds.
 * - integration: real sharp, onnxruntime, SQLite, the filesystem, child processes and crash tests.
 * - e2e: the renderer in headless Chromium against `clipsort serve` (`test/e2e/`).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files written by a test are taken at once; the tests of the quiet period set their own.
    env: { CLIPSORT_QUIET_MS: '0' },
    projects: [
      // Pure code runs in threads: they start faster than processes.
      { extends: true, test: { name: 'unit', include: ['test/**/*.unit.test.ts'], pool: 'threads' } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.unit.test.ts', 'test/e2e/**'],
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
