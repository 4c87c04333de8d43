export * from './environment';
export * from './http-sink';
export * from './platform';
export * from './test-database';
export * from './test-nats';
export * from './wait-for';
export * from './test-registry.module';
export * from './fixtures';
