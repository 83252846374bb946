export * from './cargo-index.ts';
export * from './cargo-schema.ts';
export * from './cargo-store.ts';
export * from './cargo-verify.ts';
export * from './engine-version.ts';
export * from './flight-plan.ts';
export * from './job-cargo.ts';
