export * from './audit-bridge.ts';
export * from './executor-registry.ts';
export * from './job-executor.ts';
export * from './run-journal.ts';
export * from './run-manifest.ts';
