import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/** One closing line over every vitest project, in the plain "N passed, N failed" form CI reads. */
const Report = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numPendingTests: z.number(), numTodoTests: z.number() });
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`missing report ${file}: that suite did not run`);
    failed += 1;
    continue;
  }
  const r = Report.parse(JSON.parse(readFileSync(file, 'utf8')));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
