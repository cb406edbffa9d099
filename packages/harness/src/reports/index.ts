export * from './types';
export * from './table';
export * from './json';
export * from './junit';
export * from './mermaid';
export * from './markdown';
export * from './write';
export * from './trace-text';
