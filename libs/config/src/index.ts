import 'reflect-metadata';

export * from './base.env';
export * from './load-env';
export * from './services';
