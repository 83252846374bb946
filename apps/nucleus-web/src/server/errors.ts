import { isOrbitError } from '@orbit/engine/errors';
import { z } from 'zod';

/**
 * The Nucleus' domain errors. Services throw these; tRPC, REST (and later gRPC) map them in one
 * place each. The message says what is wrong and how to fix it; `fields` names invalid inputs.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'INVALID',
  'UNAVAILABLE',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Next bundles route handlers and instrumentation separately, so an error thrown by code loaded in
 * one bundle is not `instanceof` the class of another: errors carry a registered-symbol brand.
 */
const DOMAIN_ERROR = Symbol.for('orbit.nucleus.DomainError');

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && DOMAIN_ERROR in value;
}

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly [DOMAIN_ERROR] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
  }
}
export class Forbidden extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
export class Unauthenticated extends DomainError {
  constructor(message = 'Sign in or send an API token (Authorization: Bearer orb_…)') {
    super('UNAUTHENTICATED', message);
  }
}
export class Conflict extends DomainError {
  constructor(message: string, fields: readonly FieldProblem[] = []) {
    super('CONFLICT', message, fields);
  }
}
export class Invalid extends DomainError {
  constructor(message: string, fields: readonly FieldProblem[] = []) {
    super('INVALID', message, fields);
  }
}
export class Unavailable extends DomainError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  INVALID: 400,
  UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export const TRPC_CODE = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  CONFLICT: 'CONFLICT',
  INVALID: 'BAD_REQUEST',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<ErrorCode, string>;

interface PrismaKnownError {
  code: string;
  meta?: { target?: unknown; modelName?: unknown };
}

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^P\d{4}$/.test(error.code)
  );
}

/** Turns anything thrown below a handler into a domain error; unknown failures become INTERNAL. */
export function toDomainError(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  if (error instanceof z.ZodError) {
    const fields = error.issues.map((issue) => ({
      path: issue.path.join('.') || '(body)',
      message: issue.message,
    }));
    const first = fields[0];
    return new Invalid(first ? `${first.path}: ${first.message}` : 'Invalid input', fields);
  }
  if (isOrbitError(error)) {
    const { keyPath, path, line, column } = error.location;
    const where =
      keyPath ?? path ?? (line !== undefined ? `line ${line}${column ? `:${column}` : ''}` : '(input)');
    const message = error.hint ? `${error.message} (${error.hint})` : error.message;
    return new Invalid(error.format(), [{ path: where, message }]);
  }
  if (isPrismaKnownError(error)) {
    if (error.code === 'P2002') {
      const target = Array.isArray(error.meta?.target) ? error.meta.target.join(', ') : 'a unique field';
      return new Conflict(`Another record already uses this ${target}`);
    }
    if (error.code === 'P2025') return new NotFound('The record');
  }
  return new DomainError('INTERNAL', 'Internal error: the server logged the details');
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(error: DomainError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields.length > 0 ? { fields: [...error.fields] } : {}),
    },
  };
}
