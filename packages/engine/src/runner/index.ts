export * from './job-executor.ts';
