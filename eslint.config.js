// One lint config for server, signatures, seed, tools and the Vue client (issue 10, part 6).
// Layout is Prettier's job (.prettierrc.json); this file only holds rules about meaning.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { noModuleCycle } from './tools/eslint/module-cycles.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'client/dist/', 'data/', '.tmp/', 'tools/ferretdb/', 'tools/verapdf/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  // layout rules (vue/max-attributes-per-line, vue/html-indent, …) are off: Prettier decides the layout
  prettier,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
      // import-x parses a .vue file it follows from a .ts file with these options: its <script lang="ts"> needs the TS parser
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
    plugins: { 'import-x': importX, provenant: { rules: { 'no-module-cycle': noModuleCycle } } },
    settings: {
      'import-x/parsers': { 'vue-eslint-parser': ['.vue'] },
      'import-x/extensions': ['.ts', '.js', '.vue'],
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js', '.vue', '.json'],
          alias: { '@': [path.join(root, 'client/src')] },
        }),
      ],
    },
    rules: {
      // Module boundaries (issue 10, item 5): no import cycles. `import type` is not followed.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // …and none between feature modules, which a file-level check misses (tools/eslint/module-cycles.js).
      // No group is exempt (never add one). inventory → purchasing → inspection → inventory is gone: the
      // lot's trace view composes them in modules/trace/, the ERP routers mount in modules/index.ts;
      // documents ↔ training is gone: training reads documents, documents get the training assigner at boot.
      'provenant/no-module-cycle': ['error'],
      // layout, left to Prettier (eslint-config-prettier does not list this one)
      'vue/first-attribute-linebreak': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['client/src/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Tests read untyped JSON responses and build deliberately wrong bodies; `any` is the honest type there.
    files: ['**/*.test.ts', 'server/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The registry and what iterates it hold record types of every state type (RecordType<any>);
    // reducers are typed from their context's events (records/events.ts). Every file not listed
    // here is held to the rule.
    files: ['server/src/records/{projector,projectionCheck,projectionRepair,registry,memoryIndex,types}.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The e-signature service imports nothing of the server but types and the ledger's canonical
    // JSON and hash (a signature binds exactly those bytes); the server hands it a SigningPort
    // (signatures/esign/port.ts, implemented in server/src/records/signing.ts). Issue 10, item 5.
    files: ['signatures/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/server/src/(?!ledger/(canonical|event)\\.ts$)',
              allowTypeImports: true,
              message: 'signatures/ must not depend on the server: ask for it through the SigningPort.',
            },
          ],
        },
      ],
    },
  },
);
