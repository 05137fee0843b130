import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (stryker.config.mjs): the chosen areas' unit tests and fast
// integration tests from mutation.areas.json, one file at a time like the integration project, with its
// time limits. The kill -9 chaos test runs a bundled copy of the code, which mutants never reach.
const Areas = z.record(z.string(), z.object({ mutate: z.array(z.string()), tests: z.array(z.string()) }));
const areas = Areas.parse(JSON.parse(readFileSync(new URL('./mutation.areas.json', import.meta.url), 'utf8')));
const chosen = (process.env.MUTATION_AREA ?? Object.keys(areas).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
// MUTATION_TESTS=<glob,glob> narrows the tests of a one-file run (e.g. the unit tests only: the timed
// integration tests flake on a loaded machine, and one failing in Stryker's dry run stops the whole run).
const only = process.env.MUTATION_TESTS?.split(',').map((s) => s.trim()).filter(Boolean);

export default defineConfig({
  plugins: [
    {
      // StrykerJS runs vitest with pool 'threads' (its runner passes it as a command-line option, which wins
      // over this file), but serialport's native poller sits on the process's main loop and aborts the
      // process when a port opened in a worker thread gets data. Forked processes have loops of their own.
      name: 'mutation-tests-in-forks',
      configureVitest({ project }) {
        project.config.pool = 'forks';
      },
    },
  ],
  test: {
    include: only ?? chosen.flatMap((name) => areas[name]?.tests ?? []),
    exclude: ['**/node_modules/**', 'main/queue/crash.integration.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // One forked process for all the files a mutant's tests live in, not one per file: several times fewer
    // process starts per mutant (the tests clean up after themselves: own temp folders, ports and ptys).
    isolate: false,
  },
});
