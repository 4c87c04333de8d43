export * from './run-service';
export * from './http-validation';
export * from './admin-token.guard';
export * from './serial-reload';
export * from './poll-loop';
export * from './consumer-lag.metrics';
export * from './http-errors';
export * from './reloading-snapshot';
