export * from './chunking-options.ts';
