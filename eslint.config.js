// Lint rules: typescript-eslint's recommended set, plus the architecture rule that keeps the
// Bot Framework SDK, restify and lowdb out of the core (see README, "Architecture").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkImports = {
  patterns: [
    { group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'Only bot/teams/ may import the Bot Framework SDK.' },
    { group: ['restify', 'restify-*'], message: 'Only bot/server/ may import restify.' },
    { group: ['lowdb', 'lowdb/*'], message: 'Only bot/store/ may import lowdb.' },
    { group: ['adaptivecards-templating'], message: 'Only bot/render/ expands card templates.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'var/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration in bot/config/ only.' }],
    },
  },
  { files: ['bot/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', { ...sdkImports, paths: ['node:fs', 'fs', 'node:fs/promises'] }] } },
  // botbuilder is archived upstream: only bot/teams/ (the adapter a move to another SDK replaces) imports it.
  {
    files: ['bot/**/*.ts'],
    ignores: ['bot/core/**', 'bot/teams/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkImports.patterns[0]] }] },
  },
  { files: ['bot/config/**/*.ts', 'bot/cli/**/*.ts', 'bot/main.ts', 'test/**/*.ts', 'deploy/**/*.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
