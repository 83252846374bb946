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

/** One problem among several found in a single pass (e.g. every mistake in a manifest). */
export interface OrbitErrorIssue extends OrbitErrorLocation {
  readonly message: string;
  readonly hint?: string;
}

export interface OrbitErrorInit extends OrbitErrorLocation {
  /** One sentence on how to fix it. */
  hint?: string;
  cause?: unknown;
  /** Every problem found, when there is more than one to report at once. */
  issues?: readonly OrbitErrorIssue[];
}

export class OrbitError extends Error {
  override readonly name = 'OrbitError';
  readonly code: OrbitErrorCode;
  readonly location: OrbitErrorLocation;
  readonly hint: string | undefined;
  /** Every problem behind this error; a single-problem error lists itself. */
  readonly issues: readonly OrbitErrorIssue[];

  constructor(code: OrbitErrorCode, message: string, init: OrbitErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    const { hint, cause: _cause, issues, ...location } = init;
    this.location = location;
    this.hint = hint;
    this.issues = issues ?? [{ message, ...location, ...(hint ? { hint } : {}) }];
  }

  /**
   * One error carrying several problems. With one issue it is that issue; with more, the message
   * lists each formatted issue on its own line so a plain `console.error(err.message)` shows them all.
   */
  static fromIssues(code: OrbitErrorCode, issues: readonly OrbitErrorIssue[]): OrbitError {
    const [first, ...rest] = issues;
    if (first === undefined) throw new RangeError('OrbitError.fromIssues needs at least one issue');
    const { message, hint, ...location } = first;
    if (rest.length === 0) return new OrbitError(code, message, { ...location, hint, issues });
    const lines = issues.map((issue) => indent(formatIssue(issue)));
    return new OrbitError(code, `${issues.length} problems found:\n${lines.join('\n')}`, {
      file: first.file,
      issues,
    });
  }

  /** `file:line:col: key: message (hint)` — the form every front end prints. */
  format(): string {
    if (this.issues.length > 1) return this.message;
    return formatIssue({
      message: this.message,
      ...this.location,
      ...(this.hint ? { hint: this.hint } : {}),
    });
  }

  toJSON(): {
    code: OrbitErrorCode;
    message: string;
    hint?: string;
    issues: readonly OrbitErrorIssue[];
  } & OrbitErrorLocation {
    return {
      code: this.code,
      message: this.message,
      ...this.location,
      ...(this.hint ? { hint: this.hint } : {}),
      issues: this.issues,
    };
  }
}

/** `file:line:col: key: message` plus an indented hint line. */
export function formatIssue(issue: OrbitErrorIssue): string {
  const { file, line, column, keyPath, path, message, hint } = issue;
  const where = [file ?? path, line, line !== undefined ? column : undefined]
    .filter((part) => part !== undefined)
    .join(':');
  const head = [where, keyPath].filter(Boolean).join(': ');
  const body = head ? `${head}: ${message}` : message;
  return hint ? `${body}\n  hint: ${hint}` : body;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

export function isOrbitError(value: unknown): value is OrbitError {
  return value instanceof OrbitError;
}
