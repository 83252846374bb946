import type { CommandError__Output, ErrorCode__Output } from '@orbit/proto';

/**
 * A command that did not produce a result: refused or failed on the Star (its CommandError), not
 * deliverable (Star offline), or out of time. `code` is the proto ErrorCode name, e.g.
 * `ERROR_CODE_PERMISSION_DENIED` for path-jail refusals, with the offending `path`.
 */
export class GridCommandError extends Error {
  override readonly name = 'GridCommandError';
  readonly code: ErrorCode__Output;
  readonly path: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode__Output, message: string, details: { path?: string; hint?: string } = {}) {
    super(message);
    this.code = code;
    this.path = details.path || undefined;
    this.hint = details.hint || undefined;
  }

  static fromStar(error: CommandError__Output): GridCommandError {
    return new GridCommandError(error.code, error.message, { path: error.path, hint: error.hint });
  }
}
