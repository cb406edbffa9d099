export * from './snapshot';
export * from './trace-types';
export * from './firewall';
