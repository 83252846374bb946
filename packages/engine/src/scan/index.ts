export * from './fs-error.ts';
export * from './path-filter.ts';
export * from './scan-tree.ts';
