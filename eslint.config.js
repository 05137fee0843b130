import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Process boundaries as build errors (VS Code's code-layering idea): only main/app may import electron,
// the renderer never reaches into main/, and main/ never into the renderer.
const noElectron = { name: 'electron', message: 'Only main/app/ may import electron: everything else runs under plain Node.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', '**/*.cjs'] },
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
    // An emulator is an oracle only when written from the outside documents: it must not share the
    // clients' schemas or rules (issue 12). Tests beside it may use the clients.
    files: ['emulators/**/*.ts'],
    ignores: ['emulators/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'Emulators are written from the seeds and BACKENDS.md: import nothing from main/ or preload/.' }],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/renderer/**'], message: 'main/ must not import the renderer.' }],
      }],
    },
    ignores: ['main/app/**'],
  },
);
