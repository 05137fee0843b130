import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Process boundaries as build errors (VS Code's code-layering idea): only main/app may import electron,
// the renderer never reaches into main/, main/ never into the renderer, emulators into neither main/ nor
// preload/, and no product code into test/. A folder's rule lists all of its limits: ESLint replaces a
// rule's options per matching config object, it does not merge them.
const noElectron = { name: 'electron', message: 'Only main/app/ may import electron: everything else runs under plain Node.' };
const noTest = { group: ['**/test/**', '../test/*', '../../test/*'], message: 'Product code never imports test/: what both need belongs in the product (emulators/ for the emulators).' };
const noRenderer = { group: ['**/renderer/**'], message: 'main/ must not import the renderer.' };
/** Tests beside the code (*.test.ts) may use test/ helpers; the code they test may not. */
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
/**
 * A fiscal protocol's folder is reached only through the registry (issue 18): the app talks to
 * main/fiscal/device.ts and main/fiscal/protocols.ts. Tests, emulators and the per-protocol benches may
 * name a driver; a protocol's folder may not name another's.
 */
const noProtocolFolder = {
  group: ['**/fiscal/shtrih/**', '**/fiscal/atol/**', './shtrih/**', './atol/**'],
  message: 'Only main/fiscal/protocols.ts names a fiscal protocol: use FiscalDevice (main/fiscal/device.ts) and the registry.',
};
const PROTOCOL_CODE = ['main/fiscal/shtrih/**', 'main/fiscal/atol/**', 'main/fiscal/protocols.ts'];
/** Test rigs beside the tests (sagaTestRig.ts, historyTestRig.ts) wire an emulated device: tests, for this rule. */
const TEST_RIGS = ['main/**/*TestRig.ts'];
const noOtherProtocol = { group: ['../shtrih/**', '../atol/**'], message: 'A fiscal protocol\'s folder does not use another protocol\'s: what both need belongs in main/fiscal/.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', '.stryker-tmp*/**', 'reports/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['main/**/*.ts', 'preload/contract.ts', 'preload/contract/**/*.ts', 'emulators/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['main/app/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer talks to main only through preload/contract.ts.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer talks to main only through preload/contract.ts.' }, noTest],
      }],
    },
  },
  {
    // An emulator is an oracle only when written from the outside documents: it must not share the
    // clients' schemas or rules (issue 12). Tests beside it may use the clients.
    files: ['emulators/**/*.ts'],
    ignores: ['emulators/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'Emulators are written from the seeds and BACKENDS.md: import nothing from main/ or preload/.' }, noTest],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [noRenderer],
      }],
    },
    ignores: ['main/app/**'],
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**', ...TESTS],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, noTest] }] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/app/**', ...TESTS, ...PROTOCOL_CODE, ...TEST_RIGS],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, noTest, noProtocolFolder] }] },
  },
  {
    files: ['main/fiscal/shtrih/**/*.ts', 'main/fiscal/atol/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, noTest, noOtherProtocol] }] },
  },
  {
    files: ['bench/**/*.ts'],
    ignores: ['bench/fiscal*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noProtocolFolder] }] },
  },
  {
    files: ['main/app/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [noRenderer, noTest, noProtocolFolder] }] },
  },
  {
    files: ['preload/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [noTest] }] },
  },
  {
    files: ['preload/contract.ts', 'preload/contract/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noTest] }] },
  },
);
