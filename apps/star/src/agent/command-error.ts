import { isOrbitError, type OrbitErrorCode } from '@orbit/engine/errors';
import type { CommandError, ErrorCode } from '@orbit/proto';
import { isPathDeniedError } from '../security/path-denied-error.ts';

const BY_ORBIT_CODE: Record<OrbitErrorCode, ErrorCode> = {
  MANIFEST_SYNTAX: 'ERROR_CODE_INVALID_ARGUMENT',
  MANIFEST_INVALID: 'ERROR_CODE_INVALID_ARGUMENT',
  MANIFEST_ENV: 'ERROR_CODE_INVALID_ARGUMENT',
  PLAN_CYCLE: 'ERROR_CODE_INVALID_ARGUMENT',
  PATH_NOT_FOUND: 'ERROR_CODE_NOT_FOUND',
  PATH_OVERLAP: 'ERROR_CODE_INVALID_ARGUMENT',
  IO: 'ERROR_CODE_UNAVAILABLE',
  CHECKSUM_MISMATCH: 'ERROR_CODE_DATA_LOSS',
  CORRUPT: 'ERROR_CODE_DATA_LOSS',
  AUDIT_TAMPERED: 'ERROR_CODE_DATA_LOSS',
  NOT_FOUND: 'ERROR_CODE_NOT_FOUND',
  INVALID_ARGUMENT: 'ERROR_CODE_INVALID_ARGUMENT',
};

const BY_ERRNO: Readonly<Record<string, ErrorCode>> = {
  ENOENT: 'ERROR_CODE_NOT_FOUND',
  ENOTDIR: 'ERROR_CODE_NOT_FOUND',
  EACCES: 'ERROR_CODE_PERMISSION_DENIED',
  EPERM: 'ERROR_CODE_PERMISSION_DENIED',
  ENOSPC: 'ERROR_CODE_RESOURCE_EXHAUSTED',
  EMFILE: 'ERROR_CODE_RESOURCE_EXHAUSTED',
  EISDIR: 'ERROR_CODE_INVALID_ARGUMENT',
};

/** Raised by the runner itself (draining, unknown kind, data plane missing). */
export class CommandRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint = '',
  ) {
    super(message);
  }
}

/** Why a command ended without a result, in the proto's terms; jail refusals keep their path. */
export function toCommandError(error: unknown, signal: AbortSignal): CommandError {
  if (signal.aborted) {
    const reason = signal.reason instanceof CommandRefusal ? signal.reason : undefined;
    return {
      code: reason?.code ?? 'ERROR_CODE_CANCELLED',
      message: reason?.message ?? 'the command was cancelled',
    };
  }
  if (error instanceof CommandRefusal) return { code: error.code, message: error.message, hint: error.hint };
  if (isPathDeniedError(error)) {
    return {
      code: 'ERROR_CODE_PERMISSION_DENIED',
      message: error.message,
      path: error.path,
      hint: error.hint,
    };
  }
  if (isOrbitError(error)) {
    return {
      code: BY_ORBIT_CODE[error.code],
      message: error.message,
      path: error.location.path ?? error.location.file ?? '',
      hint: error.hint ?? '',
    };
  }
  const errno = (error as { code?: unknown }).code;
  const path = (error as { path?: unknown }).path;
  return {
    code: (typeof errno === 'string' ? BY_ERRNO[errno] : undefined) ?? 'ERROR_CODE_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    path: typeof path === 'string' ? path : '',
  };
}
