export * from './codec.ts';
export * from './codec-registry.ts';
export * from './compress-chunk.ts';
export * from './compression-setting.ts';
