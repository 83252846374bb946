// The Orbit gRPC contract: the loader and the types generated from proto/orbit/v1/orbit.proto.
export * from './generated/index.ts';
export {
  loadOrbitPackageDefinition,
  loadOrbitProto,
  MAX_MESSAGE_BYTES,
  ORBIT_PROTO_FILE,
  ORBIT_PROTO_LOADER_OPTIONS,
  orbitProtoRoot,
} from './orbit-proto-loader.ts';
export {
  chunkListBatcher,
  DEFAULT_RESULT_PART_BYTES,
  ResultPartBatcher,
  scanEntryBatcher,
} from './result-part-batcher.ts';
