import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Doyensec's electronegativity through its programmatic runner (the CLI's report files do not carry
 * the severity). Returns every finding; the caller decides what blocks.
 */
const require = createRequire(import.meta.url);
const Finding = z.object({
  id: z.string(),
  file: z.string(),
  location: z.object({ line: z.number(), column: z.number() }),
  severity: z.object({ name: z.string(), value: z.number() }),
  description: z.string(),
});
export type Finding = z.infer<typeof Finding>;
const Result = z.object({ errors: z.array(z.unknown()), issues: z.array(Finding) });
type Runner = (options: { input: string; electronVersionOverride: string; isRelative: boolean }, forCli: boolean) => Promise<unknown>;

export const MEDIUM_SEVERITY = 2;

export async function scanElectronSecurity(dir: string): Promise<Finding[]> {
  const electronVersion = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8'))).version;
  const run = require('@doyensec/electronegativity') as Runner;
  const result = Result.parse(await run({ input: dir, electronVersionOverride: electronVersion, isRelative: true }, false));
  if (result.errors.length > 0) throw new Error(`electronegativity could not parse: ${JSON.stringify(result.errors)}`);
  return result.issues;
}
