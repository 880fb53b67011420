import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/validation/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
