// @ts-check
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

/**
 * Mutation testing (issue 11 point 7): `npm run mutation` mutates the code that carries money and safety
 * and reports, per file and for `All files`, how many mutants the tests kill (clear-text reporter).
 * The areas, their files and the tests that exercise them are in mutation.areas.json (read by
 * vitest.mutation.config.ts too). One area at a time: `npm run mutation:queue` (or :fiscal, :refunds),
 * i.e. MUTATION_AREA=queue, narrows both the mutants and the tests; `npm run mutation -- --mutate <glob>`
 * narrows the mutants only. Not part of `npm test`: all areas take up to an hour here.
 *
 * StrykerJS 9 with its vitest runner (10.x needs Node 22). Concurrency 1: this machine has 2 cores and
 * the integration tests time serial and HTTP faults. Static mutants (module-level constants) are
 * skipped: each would re-run every test, and the values they hold are pinned by the tests that use them.
 */

/** @type {Record<string, { mutate: string[]; tests: string[] }>} */
const areas = JSON.parse(readFileSync(new URL('./mutation.areas.json', import.meta.url), 'utf8'));
const chosen = (process.env.MUTATION_AREA ?? Object.keys(areas).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
for (const name of chosen) if (!areas[name]) throw new Error(`MUTATION_AREA: unknown area "${name}" (known: ${Object.keys(areas).join(', ')})`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: chosen.flatMap((name) => areas[name]?.mutate ?? []),
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 1,
  // Added to each mutant's expected time (its tests' time in the dry run × 1.5): a mutant that makes a
  // test wait for an answer that never comes is stopped 10 s later and counted as detected.
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
export default config;
