// ESLint: typescript-eslint's strict type-checked rules, Svelte 5 rules, and the import boundaries the
// architecture relies on. Prettier owns formatting (eslint-config-prettier turns off the style rules).
// tests/unit/architecture.test.ts keeps only what a lint rule cannot say (e.g. no `{@html}` anywhere).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** What src/lib may not import: it runs in Node tests, workers and pages alike. */
const coreBoundary = {
  patterns: [
    { group: ['svelte', 'svelte/*'], message: 'src/lib is framework-free: no Svelte.' },
    { group: ['@mlc-ai/web-llm', '@mlc-ai/web-llm/*'], message: 'Only src/engine talks to web-llm.' },
    { group: ['**/engine/*', '**/ui/*', '**/functions/*', '**/embed/*'], message: 'src/lib imports only src/lib.' },
    { group: ['*.svelte'], message: 'src/lib is framework-free: no components.' },
  ],
};

/** Engine internals the views must not reach past the engine interface for. */
const engineInternals = [
  '**/engine/worker.ts',
  '**/engine/workerHost.ts',
  '**/engine/workerEngine.ts',
  '**/engine/protocol.ts',
  '**/engine/passThroughTemplate.ts',
];

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'dist-*', 'reports', 'test-results', 'bench/results', 'public/sw*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Template literals with numbers are how messages are worded throughout.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'svelte/no-at-html-tags': 'error',
      // Svelte 5 rules beyond the recommended set (which already has prefer-writable-derived: no $effect
      // that only copies state into state, and prefer-svelte-reactivity). The linter has no rule for
      // "no state written inside $effect" in general, nor "nothing stateful created inside $derived";
      // Svelte itself throws state_unsafe_mutation for writes inside $derived.
      'svelte/no-conflicting-module-names': 'error',
      'svelte/require-event-prefix': 'error',
      // Arrow shorthand that returns a void call (`onclick={() => chat.stop()}`) is how handlers read.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Methods that implement an async interface (engines, stores, doubles) are async without awaiting.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreBoundary] },
  },
  {
    files: ['src/ui/**/*.{ts,svelte}', 'src/embed/**/*.{ts,svelte}'],
    ignores: ['src/ui/main.ts', 'src/embed/main.ts', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: engineInternals, message: 'Views use the engine interface (engine.ts), not its internals.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
