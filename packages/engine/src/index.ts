// The engine's public surface. Areas with native addons (hashing, compression) are here too;
// a caller that must not load them (the Nucleus' browser bundle) imports an area path directly,
// e.g. `@orbit/engine/manifest/index`.
export * from './audit/index.ts';
export * from './byte-size.ts';
export * from './cargo/index.ts';
export * from './chunking/index.ts';
export * from './compression/index.ts';
export * from './errors.ts';
export * from './hashing/index.ts';
export * from './identity/index.ts';
export * from './manifest/index.ts';
export * from './pack/index.ts';
export * from './planner/index.ts';
export * from './runner/index.ts';
export * from './scan/index.ts';
export * from './transfer/index.ts';
