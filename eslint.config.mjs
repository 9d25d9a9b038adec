import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'lib/',
      'dist/',
      '.venv/',
      'jupyterlab_hubshare/labextension/',
      'jupyterlab_hubshare/node/',
      'ui-tests/test-results/',
      'ui-tests/playwright-report/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'child_process', message: 'Spawn git only through the git runner module.' },
            { name: 'node:child_process', message: 'Spawn git only through the git runner module.' }
          ]
        }
      ]
    }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // The one module on each side that may start git.
    files: ['server/service/git/git-runner.ts', 'server/agent/git/git-runner.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    // Tests start real processes (the agent, the service CLI) to exercise them as users do; the
    // bench smoke run starts vitest.
    files: ['test/**/*.ts', 'ui-tests/**/*.ts', 'bench/**/*.ts', 'scripts/bench.mjs'],
    rules: { 'no-restricted-imports': 'off' }
  }
);
