import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files written by a test are taken at once; the tests of the quiet period set their own.
    env: { CLIPSORT_QUIET_MS: '0' },
  },
});
