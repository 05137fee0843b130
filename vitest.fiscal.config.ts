import { defineConfig } from 'vitest/config';

// The fiscal unit tests alone, for StrykerJS on main/fiscal/driver.ts (stryker.fiscal.config.json): the
// unit project's fiscal files, nothing that spawns processes.
export default defineConfig({
  test: {
    include: ['main/fiscal/**/*.test.ts', 'emulators/fiscal/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.integration.test.ts'],
    environment: 'node',
  },
});
