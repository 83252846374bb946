import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'star',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The CLI end-to-end tests spawn real `deno` processes that move a few MiB each.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
