export * from './types';
export * from './evaluate';
export { loadCases } from './load';
export * from './fixtures';
export * from './sources';
