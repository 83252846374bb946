import { OrbitError, type OrbitErrorCode, type OrbitErrorInit } from '@orbit/engine/errors';

/**
 * Why the data plane refused or abandoned something. Sent on the wire in REJECT and FILE_FAILED
 * frames, so both Stars name the same cause.
 */
export const DATA_PLANE_REASONS = [
  /** The ticket failed a check (signature, expiry, direction, Star, job, path). */
  'bad-ticket',
  /** The peer speaks another protocol version. */
  'version',
  /** A frame broke the protocol (bad type, size, order or content). */
  'protocol',
  /** The path jail refused the path, or it lies outside the ticket's path. */
  'path-denied',
  /** Another transfer is writing the same target right now. */
  'busy',
  /** Bytes did not match their announced hash. */
  'checksum',
  /** The source file changed while it was being sent. */
  'source-changed',
  /** A local read or write failed. */
  'io',
  /** The receiver's certificate is not the one the sender was told to expect. */
  'fingerprint-mismatch',
  /** The connection dropped and the retries ran out. */
  'connection',
] as const;
export type DataPlaneReason = (typeof DATA_PLANE_REASONS)[number];

const CODES: Record<DataPlaneReason, OrbitErrorCode> = {
  'bad-ticket': 'INVALID_ARGUMENT',
  version: 'INVALID_ARGUMENT',
  protocol: 'CORRUPT',
  'path-denied': 'INVALID_ARGUMENT',
  busy: 'IO',
  checksum: 'CHECKSUM_MISMATCH',
  'source-changed': 'IO',
  io: 'IO',
  'fingerprint-mismatch': 'INVALID_ARGUMENT',
  connection: 'IO',
};

/** A data-plane failure; `reason` is the machine-readable cause, the message and hint the human one. */
export class DataPlaneError extends OrbitError {
  readonly reason: DataPlaneReason;

  constructor(reason: DataPlaneReason, message: string, init: OrbitErrorInit = {}) {
    super(CODES[reason], message, init);
    this.reason = reason;
  }
}

export function isDataPlaneReason(value: unknown): value is DataPlaneReason {
  return typeof value === 'string' && (DATA_PLANE_REASONS as readonly string[]).includes(value);
}

/** Failures worth another connection: the network dropped, the peer gave no verdict. */
export function isRetryable(error: unknown): boolean {
  return error instanceof DataPlaneError && error.reason === 'connection';
}
