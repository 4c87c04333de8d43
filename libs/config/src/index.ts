import 'reflect-metadata';

export * from './base.env';
export * from './env-rules';
export * from './load-env';
export * from './services';
