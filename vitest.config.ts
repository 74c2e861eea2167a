import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql instance, as Node loads it (CJS): Apollo requires it, and graphql-js refuses
    // schemas made by another copy ("from another module or realm").
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: integration suites start whole platforms, so run files two at a time.
    maxWorkers: 2,
    pool: 'forks',
  },
});
