// @ts-check
'use strict';
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const nx = require('@nx/eslint-plugin');
const promise = require('eslint-plugin-promise');
const prettier = require('eslint-config-prettier');
const globals = require('globals');

/** What pure logic never imports: a framework, a database or NATS driver, metrics, streams, HTTP. */
const frameworkImports = ['@nestjs/*', 'typeorm', '@nats-io/*', 'pg', 'prom-client', 'rxjs', 'fastify'];

/**
 * Who may import whom (docs/architecture.md, "Libraries and boundaries"): services never import each other, contracts import
 * no framework, infrastructure libraries do not lean on each other.
 */
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:runtime', 'type:infra', 'type:domain', 'type:contract', 'type:util'],
  },
  // Pure domain logic (the rules engine, matching): no framework, no I/O; services, tools and tests share it.
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:contract', 'type:util'],
    bannedExternalImports: frameworkImports,
  },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:infra', 'type:contract', 'type:util'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:contract', 'type:util'] },
  {
    sourceTag: 'type:contract',
    onlyDependOnLibsWithTags: ['type:util'],
    bannedExternalImports: frameworkImports,
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:test',
    onlyDependOnLibsWithTags: [
      'type:test',
      'type:runtime',
      'type:infra',
      'type:domain',
      'type:contract',
      'type:util',
    ],
  },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:runtime', 'type:infra', 'type:domain', 'type:contract', 'type:util'],
  },
  {
    sourceTag: 'type:bench',
    onlyDependOnLibsWithTags: [
      'type:test',
      'type:runtime',
      'type:infra',
      'type:domain',
      'type:contract',
      'type:util',
    ],
  },
  // The Helm chart's tests render it and compare it with the contracts (consumers, settings).
  {
    sourceTag: 'type:chart',
    onlyDependOnLibsWithTags: ['type:test', 'type:runtime', 'type:infra', 'type:contract', 'type:util'],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: [
      'type:test',
      'type:runtime',
      'type:infra',
      'type:domain',
      'type:contract',
      'type:util',
    ],
  },
  // Each service sees only itself and the shared libraries.
  ...['ingest', 'classifier', 'correlator', 'notifier', 'query'].map((name) => ({
    sourceTag: `scope:${name}`,
    onlyDependOnLibsWithTags: [`scope:${name}`, 'scope:shared'],
  })),
];

/** Test files may also use the testing helpers (libs/testing), whatever project they sit in. */
const testDepConstraints = depConstraints.map((constraint) =>
  constraint.onlyDependOnLibsWithTags
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:test'] }
    : constraint,
);

/**
 * A library's own integration tests use the testing helpers, which use that library: the cycle
 * exists only through test files, so it is allowed for exactly these pairs.
 */
const testOnlyCycles = ['config', 'contracts', 'messaging', 'persistence', 'launcher', 'runtime'].map(
  (lib) => [lib, 'testing'],
);

const boundaries = (constraints) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: constraints,
    banTransitiveDependencies: false,
    ignoredCircularDependencies: testOnlyCycles,
  },
];

module.exports = tseslint.config(
  {
    ignores: ['**/node_modules/**', 'dist/**', 'coverage/**', '.nx/**', 'reports/**', 'helm/**/templates/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  promise.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
      // Nest modules are classes with only static members by design.
      '@typescript-eslint/no-extraneous-class': 'off',
      'promise/always-return': 'off',
      'promise/catch-or-return': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  // A service's pure logic (services/<name>/src/domain) is held to what libs of type:domain are held
  // to; Nx tags whole projects, so a folder inside an app project needs a rule of its own.
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: frameworkImports,
              message:
                "a service's domain folder is pure logic: no framework, database, NATS or HTTP imports",
            },
            {
              group: ['@vigil/messaging', '@vigil/persistence', '@vigil/observability', '@vigil/runtime'],
              message:
                "a service's domain folder is pure logic: contracts, config and the domain libraries only",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tools/jest/*.js'],
    languageOptions: { globals: globals.jest },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      globals: globals.node,
      parserOptions: { projectService: false, program: null },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(testDepConstraints),
      // Jest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
