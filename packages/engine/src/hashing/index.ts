export * from './checksum-algorithm.ts';
