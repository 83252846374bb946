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

/**
 * Prisma's codes for a database that is momentarily out of reach or out of connections: no
 * transaction slot in time (P2028), no pooled connection in time (P2024), server unreachable or
 * gone (P1001, P1002, P1017). A Star that hears UNAVAILABLE dials again with its backoff.
 */
const DATABASE_BUSY_CODES = new Set(['P2028', 'P2024', 'P1001', 'P1002', 'P1017']);

/** True for a failure that passes once the database has room again (see DATABASE_BUSY_CODES). */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DATABASE_BUSY_CODES.has(code);
}

/**
 * Anything thrown below a handler becomes a status; unknown failures stay vague on the wire. A busy
 * database is UNAVAILABLE (retry), not INTERNAL (a bug), e.g. a thousand Stars dialling at once.
 */
export function toGridStatus(error: unknown): { code: status; details: string; message: string } {
  if (error instanceof GridRefusal) return error.toStatus();
  if (isDatabaseBusy(error)) {
    const message = 'the Nucleus is busy (its database had no free connection in time); retry shortly';
    return { code: status.UNAVAILABLE, details: message, message };
  }
  const message = 'the Nucleus failed to handle this request: its log has the details';
  return { code: status.INTERNAL, details: message, message };
}

/** One log line for a failed grid request: a busy database needs no stack, anything else does. */
export function describeGridFailure(error: unknown): string {
  if (isDatabaseBusy(error)) return `database busy (${(error as { code: string }).code}), the caller retries`;
  return (error as Error).stack ?? String(error);
}
