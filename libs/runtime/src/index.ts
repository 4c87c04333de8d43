export * from './run-service';
export * from './http-validation';
