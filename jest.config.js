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

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Decorator metadata (class-transformer's @Type, Nest) needs the Reflect API before any class loads.
  setupFiles: ['reflect-metadata'],
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tools', '<rootDir>/e2e'],
};

/**
 * Three tiers (CONVENTIONS §7): unit tests of pure logic, integration tests per library/service
 * against the real NATS and Postgres, end-to-end tests across processes.
 */
/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int-spec.ts'], testTimeout: 60_000 },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'], testTimeout: 240_000 },
  ],
};
