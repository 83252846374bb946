import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GrpcObject, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/orbit.ts';

/**
 * How messages decode. These must match the flags in scripts/generate.mjs, or the generated
 * `__Output` types would lie (a test compares them).
 */
export const ORBIT_PROTO_LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** gRPC's default receive limit; every Orbit message is designed to stay under it. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Import root of the .proto tree and the contract's path inside it. */
export const ORBIT_PROTO_FILE = 'orbit/v1/orbit.proto';

/**
 * The directory holding `orbit/v1/orbit.proto`, found from this module's URL so it works from
 * source under Node, Deno and vitest alike. A bundler that moves this file can pass its own path.
 */
export function orbitProtoRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'proto');
}

/** The raw package definition, for `server.addService` / `makeGenericClientConstructor` callers. */
export function loadOrbitPackageDefinition(protoRoot: string = orbitProtoRoot()): PackageDefinition {
  return loadSync(ORBIT_PROTO_FILE, { ...ORBIT_PROTO_LOADER_OPTIONS, includeDirs: [protoRoot] });
}

/**
 * The typed gRPC package: `loadOrbitProto().orbit.v1.StarControl` is the client constructor and
 * `.service` its definition for `server.addService`.
 */
export function loadOrbitProto(protoRoot: string = orbitProtoRoot()): ProtoGrpcType {
  const grpcObject: GrpcObject = loadPackageDefinition(loadOrbitPackageDefinition(protoRoot));
  // proto-loader-gen-types describes exactly this object; grpc-js can only type it loosely.
  return grpcObject as unknown as ProtoGrpcType;
}
