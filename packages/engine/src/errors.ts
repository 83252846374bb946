/**
 * The engine's one error type. Every failure a user can cause carries where it happened
 * (file, line, column, key path or filesystem path) and how to fix it, so the CLI, the Star
 * and the Nucleus can all print or serialise it the same way.
 */
export type OrbitErrorCode =
  | 'MANIFEST_SYNTAX'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_ENV'
  | 'PLAN_CYCLE'
  | 'PATH_NOT_FOUND'
  | 'PATH_OVERLAP'
  | 'IO'
  | 'CHECKSUM_MISMATCH'
  | 'CORRUPT'
  | 'AUDIT_TAMPERED'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT';

export interface OrbitErrorLocation {
  /** The file the problem is in (a manifest, a journal, a pack…). */
  file?: string;
  line?: number;
  column?: number;
  /** A key path inside a structured document, e.g. `job[2].depends_on`. */
  keyPath?: string;
  /** A filesystem path the problem is about. */
  path?: string;
}

export interface OrbitErrorInit extends OrbitErrorLocation {
  /** One sentence on how to fix it. */
  hint?: string;
  cause?: unknown;
}

export class OrbitError extends Error {
  override readonly name = 'OrbitError';
  readonly code: OrbitErrorCode;
  readonly location: OrbitErrorLocation;
  readonly hint: string | undefined;

  constructor(code: OrbitErrorCode, message: string, init: OrbitErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    const { hint, cause: _cause, ...location } = init;
    this.location = location;
    this.hint = hint;
  }

  /** `file:line:col: key: message (hint)` — the form every front end prints. */
  format(): string {
    const { file, line, column, keyPath, path } = this.location;
    const where = [file ?? path, line, line !== undefined ? column : undefined]
      .filter((part) => part !== undefined)
      .join(':');
    const head = [where, keyPath].filter(Boolean).join(': ');
    const body = head ? `${head}: ${this.message}` : this.message;
    return this.hint ? `${body}\n  hint: ${this.hint}` : body;
  }

  toJSON(): { code: OrbitErrorCode; message: string; hint?: string } & OrbitErrorLocation {
    return {
      code: this.code,
      message: this.message,
      ...this.location,
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

export function isOrbitError(value: unknown): value is OrbitError {
  return value instanceof OrbitError;
}
