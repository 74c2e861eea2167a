import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: integration suites start whole platforms, so run files two at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
