export * from './checksum-algorithm.ts';
export * from './file-reader.ts';
export * from './hash-algorithm.ts';
export * from './hash-file.ts';
export * from './hash-registry.ts';
