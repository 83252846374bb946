// Original file: proto/orbit/v1/orbit.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { JoinRequest as _orbit_v1_JoinRequest, JoinRequest__Output as _orbit_v1_JoinRequest__Output } from '../../orbit/v1/JoinRequest.ts';
import type { JoinResponse as _orbit_v1_JoinResponse, JoinResponse__Output as _orbit_v1_JoinResponse__Output } from '../../orbit/v1/JoinResponse.ts';
import type { RenewRequest as _orbit_v1_RenewRequest, RenewRequest__Output as _orbit_v1_RenewRequest__Output } from '../../orbit/v1/RenewRequest.ts';
import type { RenewResponse as _orbit_v1_RenewResponse, RenewResponse__Output as _orbit_v1_RenewResponse__Output } from '../../orbit/v1/RenewResponse.ts';

/**
 * Joining the grid and keeping the Star's certificate fresh.
 */
export interface EnrolmentClient extends grpc.Client {
  /**
   * Served on a TLS-only port (no client certificate yet): trades a one-time join token and a
   * PKCS#10 CSR for a certificate signed by the grid CA.
   */
  Join(argument: _orbit_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _orbit_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _orbit_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _orbit_v1_JoinRequest, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Served on a TLS-only port (no client certificate yet): trades a one-time join token and a
   * PKCS#10 CSR for a certificate signed by the grid CA.
   */
  join(argument: _orbit_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _orbit_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _orbit_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _orbit_v1_JoinRequest, callback: grpc.requestCallback<_orbit_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Served with mutual TLS: a Star whose certificate is close to expiry sends a CSR for a new key
   * and gets a new certificate for the same Star id.
   */
  Renew(argument: _orbit_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _orbit_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _orbit_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  Renew(argument: _orbit_v1_RenewRequest, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Served with mutual TLS: a Star whose certificate is close to expiry sends a CSR for a new key
   * and gets a new certificate for the same Star id.
   */
  renew(argument: _orbit_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _orbit_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _orbit_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  renew(argument: _orbit_v1_RenewRequest, callback: grpc.requestCallback<_orbit_v1_RenewResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Joining the grid and keeping the Star's certificate fresh.
 */
export interface EnrolmentHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Served on a TLS-only port (no client certificate yet): trades a one-time join token and a
   * PKCS#10 CSR for a certificate signed by the grid CA.
   */
  Join: grpc.handleUnaryCall<_orbit_v1_JoinRequest__Output, _orbit_v1_JoinResponse>;
  
  /**
   * Served with mutual TLS: a Star whose certificate is close to expiry sends a CSR for a new key
   * and gets a new certificate for the same Star id.
   */
  Renew: grpc.handleUnaryCall<_orbit_v1_RenewRequest__Output, _orbit_v1_RenewResponse>;
  
}

export interface EnrolmentDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_orbit_v1_JoinRequest, _orbit_v1_JoinResponse, _orbit_v1_JoinRequest__Output, _orbit_v1_JoinResponse__Output>
  Renew: MethodDefinition<_orbit_v1_RenewRequest, _orbit_v1_RenewResponse, _orbit_v1_RenewRequest__Output, _orbit_v1_RenewResponse__Output>
}
