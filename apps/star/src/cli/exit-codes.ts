import type { OrbitErrorCode } from '@orbit/engine/errors';

/** The CLI's exit codes; scripts branch on them, so they are part of the public contract. */
export const EXIT = {
  ok: 0,
  /** A run finished with failures, verify/diff found mismatches, or an audit log is tampered. */
  problems: 1,
  /** Bad arguments or a manifest error: nothing was moved. */
  usage: 2,
  /** An I/O or internal error. */
  internal: 3,
  /** Stopped by SIGINT/SIGTERM; the resume journal is intact and the next run continues. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    run finished with failures, verify/diff found mismatches, or the audit log is tampered
  2    usage or manifest error (nothing was moved)
  3    I/O or internal error
  130  interrupted (SIGINT/SIGTERM); run again to resume`;

/** Every engine error code maps to one exit code; a new code fails type-checking here until placed. */
const EXIT_BY_ERROR_CODE: Record<OrbitErrorCode, ExitCode> = {
  MANIFEST_SYNTAX: EXIT.usage,
  MANIFEST_INVALID: EXIT.usage,
  MANIFEST_ENV: EXIT.usage,
  PLAN_CYCLE: EXIT.usage,
  PATH_NOT_FOUND: EXIT.usage,
  PATH_OVERLAP: EXIT.usage,
  INVALID_ARGUMENT: EXIT.usage,
  NOT_FOUND: EXIT.usage,
  CHECKSUM_MISMATCH: EXIT.problems,
  CORRUPT: EXIT.problems,
  AUDIT_TAMPERED: EXIT.problems,
  IO: EXIT.internal,
};

export function exitCodeForError(code: OrbitErrorCode): ExitCode {
  return EXIT_BY_ERROR_CODE[code];
}
