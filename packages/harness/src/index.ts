export * from './probe';
export * from './checks';
export * from './reports';
export * from './live';
