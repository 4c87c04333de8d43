export * from './container-environment';
export * from './helm';
export * from './kubernetes-schemas';
export * from './monitoring';
export * from './pod-security';
