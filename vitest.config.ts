import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // End-to-end tests each start a real server; two workers suit the 2-core CI machine.
    maxWorkers: 2,
    testTimeout: 20000,
    hookTimeout: 20000,
  },
});
