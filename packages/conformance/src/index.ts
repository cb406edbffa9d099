export * from './types';
export * from './evaluate';
export { loadCases } from './load';
