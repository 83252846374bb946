export * from './chunk-assembler.ts';
export * from './chunk-file.ts';
export * from './chunking-options.ts';
export * from './fastcdc-chunker.ts';
export * from './gear-table.ts';
