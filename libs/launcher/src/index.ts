export * from './ports';
export * from './service-process';
