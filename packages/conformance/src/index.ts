export * from './types';
export * from './evaluate';
export * from './edits';
export * from './peering';
export { loadCases } from './load';
export * from './fixtures';
export * from './sources';
