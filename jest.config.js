// @ts-check
'use strict';
const { compilerOptions } = require('./tsconfig.base.json');

/** `@vigil/x` → the library's source, as tsconfig's paths say. */
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
        keepClassNames: true,
      },
      module: { type: 'commonjs', ignoreDynamic: true },
    },
  ],
};

/**
 * Dependencies that ship only as ES modules, compiled to CommonJS for Jest (Node 20 loads them
 * natively; Jest's module system needs Node 24.9 for that): @fastify/static's content-disposition.
 */
const esmOnlyDependencies = ['content-disposition'];
transform['^.+\\.js$'] = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2023' }, module: { type: 'commonjs' } },
];

const common = {
  transformIgnorePatterns: [`^(?!.*/node_modules/(?:${esmOnlyDependencies.join('|')})/).*/node_modules/`],
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Decorator metadata (class-transformer's @Type, Nest) needs the Reflect API before any class loads.
  setupFiles: ['reflect-metadata', '<rootDir>/tools/jest/quiet-nest-logs.js'],
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tools', '<rootDir>/e2e', '<rootDir>/helm'],
};

/** testTimeout is a global option in Jest, so each tier sets its own through a setup file. */
function tier(displayName, testMatch, timeoutMs) {
  return {
    ...common,
    displayName,
    testMatch: [testMatch],
    setupFilesAfterEnv: [`<rootDir>/tools/jest/timeout-${timeoutMs}.js`],
  };
}

/**
 * Three tiers (docs/architecture.md, "Build, run and test"): unit tests of pure logic, integration tests per library/service
 * against the real NATS and Postgres, end-to-end tests across processes.
 */
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    tier('unit', '**/*.spec.ts', 5_000),
    tier('integration', '**/*.int-spec.ts', 60_000),
    tier('e2e', '**/*.e2e-spec.ts', 240_000),
  ],
};
