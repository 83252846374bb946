export * from './atomic-file.ts';
export * from './chunk-pass.ts';
export * from './file-journal.ts';
export * from './file-sync.ts';
export * from './mirror-prune.ts';
export * from './push-totals.ts';
export * from './transfer-executor.ts';
