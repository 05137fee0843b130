import { defineConfig } from 'vitest/config';

// Three projects so a person can run the fast ones alone; `npm test` runs all of them.
// Integration and e2e tests spawn processes, pseudo-terminals and browsers. Integration files run two at a
// time: they share nothing (emulators on port 0, each its own mkdtemp folder, socat pair and SQLite file)
// and mostly wait on serial lines, HTTP and child processes, so the long chaos files overlap the rest;
// their timing bounds are seconds, not milliseconds. E2E files run one at a time: Chromium and a server
// each, and the header's 3 s freshness bound. StrykerJS's sandbox (.stryker-tmp, during
// `npm run mutation`) holds a copy of every test: never collected from here.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['main/**/*.test.ts', 'emulators/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**', '**/.stryker-tmp*/**'],
          environment: 'node',
          // Two at a time, as integration: vitest's default is cores − 1, one file at a time on the 2-core
          // machine, while the slow files (transports, drivers, the saga) mostly wait on real timers.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'integration',
          // test/security: issue 16's attacks replayed against the real bridge and services, one file per point.
          include: ['**/*.integration.test.ts', 'test/security/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/.stryker-tmp*/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          // The training server's CLI bundled once per run: each test's server starts in a third of the time.
          globalSetup: ['test/e2e/serverBundle.ts'],
          exclude: ['**/node_modules/**', '**/.stryker-tmp*/**'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
