export * from './archive-job.ts';
export * from './archive-store.ts';
export * from './chunk-index.ts';
export * from './pack-format.ts';
export * from './pack-reader.ts';
export * from './pack-writer.ts';
export * from './restore-archive.ts';
export * from './snapshot.ts';
export { latestSnapshotOf } from './snapshot-lookup.ts';
