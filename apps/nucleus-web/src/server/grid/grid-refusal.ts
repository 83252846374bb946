import { status } from '@grpc/grpc-js';

/**
 * A refusal the grid sends back as a gRPC status. The message is for the person running the Star:
 * what was refused and how to fix it.
 */
export class GridRefusal extends Error {
  override readonly name = 'GridRefusal';
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }

  /** The shape grpc-js turns into a status on the wire. */
  toStatus(): { code: status; details: string; message: string } {
    return { code: this.code, details: this.message, message: this.message };
  }
}

/** Anything thrown below a handler becomes a status; unknown failures stay vague on the wire. */
export function toGridStatus(error: unknown): { code: status; details: string; message: string } {
  if (error instanceof GridRefusal) return error.toStatus();
  const message = 'the Nucleus failed to handle this request: its log has the details';
  return { code: status.INTERNAL, details: message, message };
}
