// Original file: proto/orbit/v1/orbit.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { NucleusMessage as _orbit_v1_NucleusMessage, NucleusMessage__Output as _orbit_v1_NucleusMessage__Output } from '../../orbit/v1/NucleusMessage.ts';
import type { StarMessage as _orbit_v1_StarMessage, StarMessage__Output as _orbit_v1_StarMessage__Output } from '../../orbit/v1/StarMessage.ts';

/**
 * The control channel between a connected Star and the Nucleus. Requires a client certificate
 * issued by the grid CA; the Star's id is read from that certificate, never from a message.
 */
export interface StarControlClient extends grpc.Client {
  /**
   * One long-lived stream per Star. The Star speaks first with a Hello; the Nucleus answers with
   * Settings, then sends commands at any time. Either side may close; the Star redials with backoff.
   */
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbit_v1_StarMessage, _orbit_v1_NucleusMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbit_v1_StarMessage, _orbit_v1_NucleusMessage__Output>;
  /**
   * One long-lived stream per Star. The Star speaks first with a Hello; the Nucleus answers with
   * Settings, then sends commands at any time. Either side may close; the Star redials with backoff.
   */
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbit_v1_StarMessage, _orbit_v1_NucleusMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbit_v1_StarMessage, _orbit_v1_NucleusMessage__Output>;
  
}

/**
 * The control channel between a connected Star and the Nucleus. Requires a client certificate
 * issued by the grid CA; the Star's id is read from that certificate, never from a message.
 */
export interface StarControlHandlers extends grpc.UntypedServiceImplementation {
  /**
   * One long-lived stream per Star. The Star speaks first with a Hello; the Nucleus answers with
   * Settings, then sends commands at any time. Either side may close; the Star redials with backoff.
   */
  Session: grpc.handleBidiStreamingCall<_orbit_v1_StarMessage__Output, _orbit_v1_NucleusMessage>;
  
}

export interface StarControlDefinition extends grpc.ServiceDefinition {
  Session: MethodDefinition<_orbit_v1_StarMessage, _orbit_v1_NucleusMessage, _orbit_v1_StarMessage__Output, _orbit_v1_NucleusMessage__Output>
}
